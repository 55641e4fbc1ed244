"""Reports and charts: the clinician report and the pictures the analysis draws."""

"""The web app and JSON API: `kratom serve`, on the same services as the CLI."""

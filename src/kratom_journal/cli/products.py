"""`kratom product add|list|show|edit`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import click

from kratom_journal.cli.context import AppContext, json_option, pass_app, print_json

if TYPE_CHECKING:
    from collections.abc import Callable

FORMS = ["leaf-powder", "capsules", "tea", "extract", "7oh-concentrate", "other"]


def product_options(function: Callable[..., Any]) -> Callable[..., Any]:
    options = [
        click.option("--form", type=click.Choice(FORMS), help="Product form."),
        click.option("--vendor", help="Vendor or brand."),
        click.option("--strain", help="Strain or vein label, as printed."),
        click.option("--batch", help="Batch or lot number."),
        click.option(
            "--tsp-grams", metavar="G", help="Measured grams per level teaspoon."
        ),
        click.option(
            "--capsule-grams", metavar="G", help="Grams of powder per capsule."
        ),
        click.option(
            "--mitragynine-pct", metavar="%", help="Lab certificate: mitragynine %."
        ),
        click.option("--seven-oh-pct", metavar="%", help="Lab certificate: 7-OH %."),
        click.option(
            "--total-alkaloids-pct",
            metavar="%",
            help="Lab certificate: total alkaloids % (the 7-OH share's denominator).",
        ),
        click.option(
            "--seven-oh-mg-per-unit",
            metavar="MG",
            help="Lab certificate: mg of 7-OH per tablet, capsule, gummy or shot.",
        ),
        click.option("--lead-ppm", metavar="PPM", help="Lab certificate: lead, ppm."),
        click.option(
            "--arsenic-ppm", metavar="PPM", help="Lab certificate: arsenic, ppm."
        ),
        click.option(
            "--cadmium-ppm", metavar="PPM", help="Lab certificate: cadmium, ppm."
        ),
        click.option(
            "--mercury-ppm", metavar="PPM", help="Lab certificate: mercury, ppm."
        ),
        click.option(
            "--microbial",
            type=click.Choice(["pass", "fail"]),
            help="Lab certificate: microbial test result.",
        ),
        click.option("--lab-name", help="Lab certificate: laboratory."),
        click.option(
            "--test-date", metavar="YYYY-MM-DD", help="Lab certificate: test date."
        ),
    ]
    for option in reversed(options):
        function = option(function)
    return function


@click.group("product")
def product_group() -> None:
    """Products: calibration for spoons and capsules, lab certificates."""


@product_group.command("add")
@click.argument("name")
@product_options
@json_option
@pass_app
def add_command(
    app: AppContext, /, name: str, as_json: bool, **fields: str | None
) -> None:
    """Add a product, e.g. `kratom product add "Red Bali" --tsp-grams 2.3`."""
    from kratom_journal.cli.render import product_lines
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.products import ProductInput, add_product

    product = add_product(
        app.journal, ProductInput(name=name, **fields), now=app.now, today=app.today
    )
    if as_json:
        print_json({"product": to_json(product)})
        return
    click.echo("Added " + "\n".join(product_lines(product)))


@product_group.command("edit")
@click.argument("which", metavar="NAME|ID")
@click.option("--name", help="New name.")
@product_options
@json_option
@pass_app
def edit_command(
    app: AppContext, /, which: str, as_json: bool, **fields: str | None
) -> None:
    """Change a product's fields; only the options given change."""
    from kratom_journal.cli.render import product_lines
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.products import ProductInput, edit_product

    product = edit_product(
        app.journal, which, ProductInput(**fields), now=app.now, today=app.today
    )
    if as_json:
        print_json({"product": to_json(product)})
        return
    click.echo("Saved " + "\n".join(product_lines(product)))


@product_group.command("list")
@json_option
@pass_app
def list_command(app: AppContext, as_json: bool) -> None:
    """List products."""
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.products import list_products

    products = list_products(app.journal)
    if as_json:
        print_json({"products": [to_json(product) for product in products]})
        return
    if not products:
        click.echo("No products yet. Add one with `kratom product add NAME`.")
    for product in products:
        certificate = "lab certificate" if product.certificate else "no lab certificate"
        click.echo(
            f"  {str(product.id)[:8]}  {product.name}  ({product.form.value}, {certificate})"
        )


@product_group.command("show")
@click.argument("which", metavar="NAME|ID")
@json_option
@pass_app
def show_command(app: AppContext, which: str, as_json: bool) -> None:
    """Show one product with its calibration and lab certificate, and what the
    certificate says against the limits (as `check` and the report say it)."""
    from kratom_journal.cli.render import finding_json, finding_lines, product_lines
    from kratom_journal.domain.records import to_json
    from kratom_journal.services.product_checks import check_product
    from kratom_journal.services.products import show_product
    from kratom_journal.services.profiles import show_profile

    product = show_product(app.journal, which)
    daily_cap = show_profile(app.journal).daily_cap_g
    findings = check_product(product, daily_cap_g=daily_cap).findings
    if as_json:
        print_json(
            {
                "product": to_json(product),
                "findings": [finding_json(f) for f in findings],
            }
        )
        return
    click.echo("\n".join(product_lines(product)))
    if findings:
        click.echo("\n".join(finding_lines(findings)))


COMMANDS = [product_group]

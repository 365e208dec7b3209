"""Reports: plain functions over a store, a clock and values, returning frozen dataclasses.
No rich, no typer, no printing: one computation feeds every output format."""

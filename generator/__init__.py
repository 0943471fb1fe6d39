"""nexthink-codegen: pydantic models for the Nexthink API, generated from the vendor's OpenAPI fragments."""

__all__ = ["__version__"]

__version__ = "0.1.0"

"""RetroVue Desktop: a station manager for one home broadcaster."""

__version__ = "0.1.0"

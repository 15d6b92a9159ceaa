"""The School of algorithmic solidarity's drawing kiosk."""

__version__ = "0.1.0"

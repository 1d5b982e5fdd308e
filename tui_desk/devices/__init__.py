"""Printer drivers and transports."""

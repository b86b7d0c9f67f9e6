"""Imports from methodists' spreadsheets: a plan's items, an organization's staff."""

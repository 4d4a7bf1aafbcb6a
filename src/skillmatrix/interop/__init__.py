"""Other formats: importers, exports, framework diffs, and ratings files."""

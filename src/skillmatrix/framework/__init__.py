"""The framework as files: its model, the safe YAML reader, loading, validation, schemas."""

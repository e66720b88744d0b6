"""The model graph: layers and shape inference (no training here)."""

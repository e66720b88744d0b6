"""The training engine (loops, data handling, progress output); knows nothing about layers."""

// Replaced by the solver sources.

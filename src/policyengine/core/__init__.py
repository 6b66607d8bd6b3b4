"""The core: the vocabulary, conditions, the instrument model and its loader, the semantics, the scenario
space, the engines, evaluation, decisions, corpora and the timeline."""

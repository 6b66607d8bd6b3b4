"""Explanations: why (a decision in words), why not, what would change the answer, the glossary
and the document model they are written in."""

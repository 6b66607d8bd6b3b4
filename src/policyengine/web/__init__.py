"""The web front ends: the self-contained HTML report and the local explorer, with their templates."""

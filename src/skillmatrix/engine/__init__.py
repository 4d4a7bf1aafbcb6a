"""Pure numbers over a framework: ratings and levels, scoring, raters, batch, careers, team."""

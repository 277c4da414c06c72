"""`invoke bench`: a synthetic newsroom corpus and the timings that compare our build with others."""

"""What the learning pages compute (pure, no Streamlit): Backprop's stages, the code walk, the optimiser page's race
and surface, the Experiments page's runs, the guided lessons."""

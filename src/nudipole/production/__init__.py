"""Production of the heavy neutral lepton at hadron colliders (meson decays, lab-frame flux)."""

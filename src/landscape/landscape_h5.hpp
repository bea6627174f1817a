// Reads what the model needs from a network built by `pandakinetics network`
// (src/landscape/network_io.cpp writes it): /builder/states (features, layer),
// /builder/edges (a, b, bulk, path maxima, association rates) and the
// /builder attributes (n_rot, heavy_atoms, temperature_K, kappa, landscape).
#pragma once

#include "landscape/kinetics.hpp"

#include <string>

namespace pk::landscape {

/// Every problem (missing file, dataset or attribute, lengths that disagree,
/// a layer or index out of range, a landscape without a path to the bulk) is
/// a pk::InputError naming the file and the dataset. Pocket states (layer 0)
/// are bound when /builder@landscape = 1; otherwise every built state is.
/// id and series are left empty for the caller.
ComplexLandscape read_landscape(const std::string& path);

}  // namespace pk::landscape

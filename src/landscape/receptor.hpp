// Receptor heavy-atom coordinates from a PDBQT file (ATOM/HETATM records;
// AutoDock types H, HD, HS are hydrogens and skipped), for the contact count
// that decides which docked states are solvent-exposed.
#pragma once

#include "dock/poses_in.hpp"

#include <string>

namespace pk::pipeline {

/// Throws pk::InputError(path, line, ...) for an unreadable file or a record
/// whose coordinates are not numbers, and when no heavy atom is found.
Coords read_receptor_heavy_atoms(const std::string& path);

}  // namespace pk::pipeline

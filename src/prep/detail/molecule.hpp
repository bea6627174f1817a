// RDKit side of preparation: a record's text to a sanitized molecule with
// every hydrogen explicit, 3-D coordinates and Gasteiger charges.
#pragma once

#include "prep/prepare.hpp"

#include <GraphMol/RWMol.h>

#include <memory>
#include <string>

namespace pk::prep::detail {

/// Atom property: the atom's index in the record as parsed (hydrogens added
/// later have none; a dropped fragment shifts the indices, this does not).
inline constexpr const char* kInputIndex = "pk_input_index";

/// Parses the record (sanitized, given hydrogens kept), each atom tagged with
/// kInputIndex. Throws PrepareError with RDKit's reason.
std::unique_ptr<RDKit::RWMol> parse_record(const LigandRecord& record);

struct ThreeD {
  bool embedded = false;    ///< coordinates were generated
  int hydrogens_added = 0;
  std::string note;
};

/// Keeps the largest fragment (or refuses several), adds the missing
/// hydrogens and, without 3-D input coordinates, embeds (ETKDG v3, seeded)
/// and minimises (MMFF94, UFF where MMFF has no parameters). Throws
/// PrepareError.
ThreeD make_3d(std::unique_ptr<RDKit::RWMol>& mol, const PrepareOptions& options);

/// Gasteiger charges (12 iterations, formal charges spread over conjugated
/// systems, as RDKit and Meeko compute them), one per atom; atoms without
/// Gasteiger parameters (metals) get 0.
std::vector<double> gasteiger_charges(RDKit::RWMol& mol);

}  // namespace pk::prep::detail

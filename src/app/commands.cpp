// The subcommand table. Stages that are not built yet say so (exit 2); they
// never print made-up results.
#include "app/cli.hpp"
#include "app/demo.hpp"
#include "app/bench_gemm.hpp"
#include "app/bench_io.hpp"
#include "app/solve_cmd.hpp"
#include "app/prepare_cmd.hpp"
#include "app/bench_dock.hpp"
#include "app/dock_cmd.hpp"
#include "app/bench_kmc.hpp"
#include "app/kmc_cmd.hpp"
#include "app/commands.hpp"

namespace pk::cli {


const std::vector<Subcommand>& subcommands() {
  static const std::vector<Subcommand> table = {
      Subcommand{"prepare",
                 "ligands from SMILES, SDF/MOL or MOL2 (gzipped too) to PDBQT with RDKit: hydrogens added, 3-D by "
                 "ETKDG where none is given, Gasteiger charges, AutoDock types and Vina torsion tree by Meeko's rules "
                 "(docs/prepare.md); bad records are logged and skipped",
                 true, add_prepare_options, run_prepare, "ligand", {}},
      Subcommand{"dock",
                 "dock ligands into a receptor with the AutoDock Vina scoring function (Vina's options and config "
                 "files; --score_only scores input poses)",
                 true, dock::add_dock_options, dock::run_dock, "", {}},
      Subcommand{"network",
                 "turn docked poses into a network of states: RMSD clusters, path barriers scored with the Vina "
                 "function, diffusion-limited exchange with the bulk (HDF5 + CSV)",
                 true, pipeline::add_network_options, pipeline::run_network, "poses", {}},
      Subcommand{"kmc", "kinetic Monte Carlo over a network: kon, koff, residence time, Kd with 95% CIs", true,
                 kmc::add_kmc_options, kmc::run_kmc, "", {}},
      Subcommand{"solve", "exact master-equation solution of a network: koff, kon, Kd, MFPTs, committors, P(t)",
                 true, add_solve_options, run_solve, "", {}},
      Subcommand{"analyze",
                 "kon, koff, residence time, Kd, dG with bootstrap 95% CIs from KMC output, next to the exact values; "
                 "selectivity across receptors; Eyring fit over temperatures",
                 true, pipeline::add_analyze_options, pipeline::run_analyze, "input", {}},
      Subcommand{"calibrate",
                 "fit the landscape model's global parameters to measured koff (and kon) of reference complexes; "
                 "k-fold cross-validated, beside the Vina-score and heavy-atom baselines",
                 true, pipeline::add_calibrate_options, pipeline::run_calibrate, "", {}},
      Subcommand{"run",
                 "the whole pipeline from one config into one folder: dock -> network -> solve -> kmc -> analyze -> "
                 "report, resumable; temperature scan; several ligands ranked by residence time",
                 true, pipeline::add_run_options, pipeline::run_pipeline, "", {}},
      Subcommand{"bench", "benchmarks, one target each: kmc, score, dock, gemm, io (bench --help lists them)", true, nullptr, nullptr, "",
                 {
                     Subcommand{"bench kmc", "KMC steps per second on a random network (median of repeats)", true,
                                kmc::add_bench_options, kmc::run_bench, "", {}},
                     Subcommand{"bench score",
                                "Vina energy + gradient evaluations per second of a ligand at random poses (grid "
                                "maps + intramolecular pairs, Kokkos)",
                                true, dock::add_bench_score_options, dock::run_bench_score, "", {}},
                     Subcommand{"bench dock",
                                "seconds to dock a ligand (default: the Debian test complex at exhaustiveness 8), "
                                "next to AutoDock Vina's time for the same run when vina is installed",
                                true, dock::add_bench_dock_options, dock::run_bench_dock, "", {}},
                     Subcommand{"bench gemm",
                                "cuBLAS GEMM TFLOP/s in fp32, tf32, bf16 and the fraction of the device's peak "
                                "(CUDA builds)",
                                true, bench::add_gemm_options, bench::run_gemm, "", {}},
                     Subcommand{"bench io", "parallel-HDF5 collective write bandwidth, MB/s (run under mpirun)",
                                true, bench::add_io_options, bench::run_io, "", {}},
                 }},
      Subcommand{"demo",
                 "check this installation: a Kokkos reduction on every rank, an MPI reduction and a "
                 "collective parallel-HDF5 write read back",
                 true, add_demo_options, run_demo, "", {}},
  };
  return table;
}

}  // namespace pk::cli

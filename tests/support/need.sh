# Sourced by test scripts that run programs from outside the project
# (AutoDock Vina, Open Babel, RDKit). When one is missing the test ends as
# SKIPPED (exit 77, the tests' SKIP_RETURN_CODE) with a line naming what is
# missing and the Debian package that has it, instead of failing.
#   need PROGRAM...                  programs on PATH
#   need_python_module PYTHON MOD... modules importable by PYTHON

pk_debian_package() {
  case $1 in
    vina | vina_split) echo autodock-vina ;;
    obabel) echo openbabel ;;
    rdkit) echo python3-rdkit ;;
  esac
}

pk_skip_missing() {  # pk_skip_missing WHAT NAME...
  local what=$1; shift
  [[ $# -gt 0 ]] || return 0
  local n pkg hints=()
  for n in "$@"; do
    pkg=$(pk_debian_package "$n")
    hints+=("$n${pkg:+ (Debian: $pkg)}")
  done
  echo "SKIPPED: $what not found: ${hints[*]}"
  exit 77
}

need() {
  local p missing=()
  for p in "$@"; do command -v "$p" >/dev/null 2>&1 || missing+=("$p"); done
  pk_skip_missing program "${missing[@]}"
}

need_python_module() {
  local py=$1 m missing=(); shift
  for m in "$@"; do "$py" -c "import $m" >/dev/null 2>&1 || missing+=("$m"); done
  pk_skip_missing "Python module (for $py)" "${missing[@]}"
}

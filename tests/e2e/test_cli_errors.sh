#!/usr/bin/env bash
# Bad input gets one clear message naming the file, the key and the reason, and exit 2;
# nothing else. Drives the real executable.
set -u
ICNSIM=${ICNSIM:?path to icnsim}
tmp=$(mktemp -d)
trap 'chmod -R u+w "$tmp"; rm -rf "$tmp"' EXIT
fails=0

# expect STATUS PATTERN... -- ARGS...: runs icnsim ARGS, checks status and that stderr
# contains every pattern (fixed strings).
expect() {
  local want=$1; shift
  local patterns=()
  while [ "$1" != "--" ]; do patterns+=("$1"); shift; done
  shift
  "$ICNSIM" "$@" >"$tmp/out" 2>"$tmp/err"
  local got=$?
  local ok=1
  [ "$got" -eq "$want" ] || ok=0
  for p in "${patterns[@]}"; do grep -qF -- "$p" "$tmp/err" || ok=0; done
  if [ "$ok" -eq 0 ]; then
    echo "FAIL: icnsim $* -> status $got (want $want); stderr:"; cat "$tmp/err"
    fails=$((fails + 1))
  else
    echo "ok: icnsim $* -> $got: $(head -c 200 "$tmp/err")"
  fi
}

cfg() { printf '%b' "$2" >"$tmp/$1"; echo "$tmp/$1"; }

good=$(cfg good.toml '[run]\nmodel = "ishigami"\nticks = 2\n[model]\nnoise_sd = 0.5\n')
expect 0 -- run "$good" -o "$tmp/good.h5"
[ -f "$tmp/good.h5" ] || { echo "FAIL: no output file"; fails=$((fails + 1)); }

f=$(cfg unknown.toml '[run]\nmodel = "ishigami"\n[model]\nnoise_sdd = 1.0\n')
expect 2 "$f:4" "unknown key 'model.noise_sdd'" "did you mean 'model.noise_sd'" -- run "$f" -o "$tmp/a.h5"

f=$(cfg section.toml '[runn]\nticks = 3\n')
expect 2 "$f:1" "unknown section or key 'runn'" "did you mean 'run'" -- run "$f" -o "$tmp/a.h5"

f=$(cfg type.toml '[run]\nmodel = "ishigami"\nticks = "ten"\n')
expect 2 "$f:3" "key 'run.ticks'" "expected an integer" -- run "$f" -o "$tmp/a.h5"

f=$(cfg range.toml '[run]\nmodel = "ishigami"\n[model]\nnoise_sd = -1.0\n')
expect 2 "$f:4" "key 'model.noise_sd'" "out of range" -- run "$f" -o "$tmp/a.h5"

f=$(cfg syntax.toml '[run]\nmodel = "ishigami"\nticks = = 3\n')
expect 2 "$f:3:" "TOML syntax error" -- run "$f" -o "$tmp/a.h5"

f=$(cfg model.toml '[run]\nmodel = "ishigam"\n')
expect 2 "$f:2" "key 'run.model'" "did you mean \"ishigami\"" -- run "$f" -o "$tmp/a.h5"

expect 2 "$tmp/missing.toml" "cannot open configuration file" -- run "$tmp/missing.toml" -o "$tmp/a.h5"

expect 2 "model.noise_sd" "out of range" -- run "$good" -o "$tmp/a.h5" --set model.noise_sd=-3
expect 2 "--set model" "expected section.key=value" -- run "$good" -o "$tmp/a.h5" --set model
expect 2 "unknown key 'model.bogus'" -- run "$good" -o "$tmp/a.h5" --set model.bogus=1

mkdir -p "$tmp/ro" && chmod a-w "$tmp/ro"
if [ "$(id -u)" -ne 0 ]; then
  expect 2 "$tmp/ro/x.h5" "not writable" -- run "$good" -o "$tmp/ro/x.h5"
fi
expect 2 "$tmp/nodir/x.h5" "does not exist" -- run "$good" -o "$tmp/nodir/x.h5"
expect 2 "$tmp/good.h5" "output file exists" "--overwrite" -- run "$good" -o "$tmp/good.h5"
expect 0 -- run "$good" -o "$tmp/good.h5" --overwrite

expect 2 "$good/x.h5" "does not exist" -- run "$good" -o "$good/x.h5"
expect 2 "--ticks" "must be an integer >= 0" -- run "$good" --ticks -4
expect 2 "unknown subcommand 'rnu'" "did you mean 'run'" -- rnu
expect 0 -- --help
expect 0 -- version
expect 0 -- params

# The huge-page switch (include/icn/core/huge_pages.h): 0 or 1, nothing else.
ICN_HUGE_PAGES=yes expect 2 "ICN_HUGE_PAGES" "expected 0 or 1 (got 'yes')" -- run "$good" -o "$tmp/hp.h5"
[ ! -e "$tmp/hp.h5" ] || { echo "FAIL: a rejected ICN_HUGE_PAGES still wrote output"; fails=$((fails + 1)); }
ICN_HUGE_PAGES=0 expect 0 -- run "$good" -o "$tmp/hp.h5"

[ "$fails" -eq 0 ] || { echo "$fails case(s) failed"; exit 1; }
echo "all CLI error cases behave"

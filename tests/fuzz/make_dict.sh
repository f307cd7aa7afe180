#!/usr/bin/env bash
# Writes the libFuzzer dictionary of the netlist fuzz targets (tests/fuzz/netlist.dict) to
# stdout: every schema path and key from `xbarsim schema`, the allowed names of the choice
# fields, and YAML tokens. Run after a change of the schema:
#   bash tests/fuzz/make_dict.sh build/xbarsim > tests/fuzz/netlist.dict
set -euo pipefail
bin=${1:-build/xbarsim}
schema=$("$bin" schema)
echo "# libFuzzer dictionary for fuzz_netlist and fuzz_set, written by tests/fuzz/make_dict.sh"
echo "# schema paths (--set keys) and their keys (YAML mapping keys)"
paths=$(printf '%s\n' "$schema" | awk '/^[a-z][A-Za-z_.]* / && $1 != "path" {print $1}')
for p in $paths; do
    printf '"%s="\n' "$p"
done
for k in $(printf '%s\n' "$paths" | tr '.' '\n' | sort -u); do
    printf '"%s:"\n' "$k"
done
echo "# allowed names of the choice and enum fields"
printf '%s\n' "$schema" | grep -oE '([a-z][a-z0-9_-]*, )+[a-z][a-z0-9_-]*' | tr ',' '\n' |
    tr -d ' ' | sort -u | sed 's/.*/"&"/'
printf '%s\n' "$schema" | awk '$2 == "enum" && $3 ~ /^[a-z_-]+$/ {print "\"" $3 "\""}' | sort -u
echo "# device presets"
for f in "$(dirname "$0")"/../../netlists/devices/*.yaml; do
    printf '"%s"\n' "$(basename "$f" .yaml)"
done
cat <<'TOKENS'
# YAML tokens
"---"
"..."
"- "
": "
"? "
"&a "
"*a"
"<<: "
"!!str "
"!!int "
"!!map"
"!tag "
"%YAML 1.1"
"%TAG ! tag:x,2000:"
"{"
"}"
"["
"]"
", "
"|\x0a"
">-\x0a"
"\x22"
"'"
"#"
"\x0a  "
"\x09"
"~"
"null"
"true"
"false"
"auto"
"1e308"
"-1e-308"
".inf"
".nan"
"0x7f"
"2147483648"
"18446744073709551616"
"\xef\xbb\xbf"
TOKENS

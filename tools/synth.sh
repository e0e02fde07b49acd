#!/usr/bin/env bash
# Yosys synthesis of every RTL unit (issue 3).
#
#   tools/synth.sh             generic `synth` of every unit (must pass with no
#                              latches; inferred RAMs stay RAM cells), then
#                              `synth_xilinx -family xcup` at the LightMamba
#                              parameters (TP=1, COP=CIP=8, PP=8) and a
#                              LUT/FF/DSP/BRAM18 table (docs/resources.md)
#   tools/synth.sh --generic   the generic pass only ($SYNTH_JOBS units at a
#                              time, default 2)
#   tools/synth.sh --generic --quick   the same at small sizes of the big units
#                              (the ctest "rtl: yosys generic synth"; same code)
#   tools/synth.sh --unit NAME only the unit NAME (both passes)
#   tools/synth.sh --check DOC everything, then fail unless each table row is in DOC
#
# Needs yosys (0.23 tested). Logs go to $SYNTH_DIR (default build/synth).
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
out="${SYNTH_DIR:-$root/build/synth}"
mkdir -p "$out"
mode=all
quick=0
only=""
check=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --generic) mode=generic ;;
    --quick) quick=1 ;;
    --unit) only="$2"; shift ;;
    --check) check="$2"; shift ;;
    -h|--help) sed -n '2,16p' "$0"; exit 0 ;;
    *) echo "synth.sh: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

pkg="$root/rtl/common/sm_pkg.sv"

# The file of module $1 and, recursively, of every sm_* module it names: only
# what a unit uses is read, so adding a unit does not move another's numbers.
files_of() {
  local todo=("$1") seen=" " m f
  while [[ ${#todo[@]} -gt 0 ]]; do
    m="${todo[0]}"; todo=("${todo[@]:1}")
    [[ "$seen" == *" $m "* ]] && continue
    seen+="$m "
    f=$(find "$root/rtl" -name "$m.sv" | head -n 1)
    [[ -z "$f" || "$f" == "$pkg" ]] && continue
    echo "$f"
    for d in $(grep -ow 'sm_[a-z0-9_]*' "$f" | sort -u); do todo+=("$d"); done
  done
}

# unit label | top module | parameters (name=value ...) at LightMamba sizes
#            | [smaller parameters for --quick]
#            | [flags: generic-only (no synth_xilinx row); long-only (not with
#               --quick); blackbox=m1,m2 (those sub-units, synthesized in their
#               own rows, stay black boxes: the row checks the glue around them)]
# The layer top's sub-units; its rows check the layer's own logic, and
# layer_whole (long-only: ~7 min of Yosys) the whole layer at a small size.
layer_units="sm_mixer,sm_norm_quant,sm_mmu,sm_tree_fifo"
units=(
  "act_quant4|sm_act_quant|Bits=4 GroupSize=8 InWidth=32"
  "act_quant8|sm_act_quant|Bits=8 GroupSize=8 InWidth=32"
  "mmu_w4a4|sm_mmu|Tp=1 Cop=8 Cip=8 WBits=4 ABits=4 AccWidth=34"
  "mmu_w8a8|sm_mmu|Tp=1 Cop=8 Cip=8 WBits=8 ABits=8 AccWidth=38"
  "fwht128|sm_fwht|LogPoints=7 Width=32|LogPoints=4 Width=32"
  "hadamard_k40|sm_hadamard_k|MaxK=40 InWidth=32 AccWidth=40 OutWidth=32|MaxK=12 InWidth=32 AccWidth=40 OutWidth=32"
  "lut_act|sm_lut_act|Lanes=8"
  "conv1d|sm_conv1d|Groups=672 Kernel=4 AccWidth=40|Groups=8 Kernel=4 AccWidth=40"
  "rmsnorm|sm_rmsnorm|Lanes=8 MaxBeats=640 WBits=13|Lanes=8 MaxBeats=64 WBits=13"
  "ssm_update|sm_ssm_update|InjectBug=0"
  "gate|sm_gate|InjectBug=0"
  "ssmu_tiny64|sm_ssmu|Heads=8 HeadDim=16 DState=16|Heads=8 HeadDim=8 DState=8"
  "mixer_tiny64|sm_mixer|Heads=8 HeadDim=16 DState=16|Heads=8 HeadDim=8 DState=8|generic-only"
  "norm_quant_tiny64|sm_norm_quant|Len=128 WBits=13 OutBits=4 Rotate=1|Len=32 WBits=13 OutBits=4 Rotate=1|generic-only"
  "norm_quant_k4|sm_norm_quant|Len=512 WBits=13 OutBits=4 Rotate=1 Points=128|Len=64 WBits=13 OutBits=4 Rotate=1 Points=16|generic-only blackbox=sm_rmsnorm,sm_act_quant"
  "layer_tiny64|sm_mamba_layer|DModel=64 Heads=8 HeadDim=16 DState=16 Bits=4 Tp=1||generic-only blackbox=$layer_units"
  "layer_tp3_w8|sm_mamba_layer|DModel=64 Heads=8 HeadDim=16 DState=16 Bits=8 Tp=3||generic-only blackbox=$layer_units"
  "layer_tree4|sm_mamba_layer|DModel=64 Heads=8 HeadDim=16 DState=16 Bits=4 Tp=4 Tree=1 TreeDepth=2||generic-only blackbox=$layer_units"
  "layer_t256|sm_mamba_layer|DModel=256 Heads=16 HeadDim=32 DState=32 Bits=4 HtuPoints=128 Tp=1||generic-only blackbox=$layer_units"
  "layer_whole|sm_mamba_layer|DModel=32 Heads=8 HeadDim=8 DState=8 Bits=4 Tp=1||generic-only long-only"
  "tree_fifo|sm_tree_fifo|Width=64 TileWords=1024 Depth=8 MaxChildren=4"
)

script_for() {  # top params flow flags
  local top="$1" params="$2" flow="$3" flags="${4:-}" s f bb
  s="read_verilog -sv $pkg $(files_of "$top" | tr '\n' ' '); "
  for p in $params; do s+="chparam -set ${p%%=*} ${p#*=} $top; "; done
  for f in $flags; do
    if [[ "$f" == blackbox=* ]]; then bb="${f#blackbox=}"; s+="blackbox ${bb//,/ }; "; fi
  done
  if [[ "$flow" == generic ]]; then
    # synth's own script, except that inferred memories stay $mem cells (RAM)
    # instead of being flattened into flip-flops by memory_map.
    s+="synth -top $top -run begin:fine; opt -fast -full; techmap; opt -fast; abc -fast; opt -fast; "
    s+="hierarchy -check; check -assert; "
    s+="select -assert-none t:\$_DLATCH_* t:\$_DLATCHSR_* t:\$dlatch t:\$adlatch t:\$_SR_*; "
  else
    s+="synth_xilinx -family xcup -noiopad -top $top; "
    s+="select -assert-none t:LDCE t:LDPE; "
  fi
  s+="tee -o $out/$top.$flow.stat stat"
  echo "$s"
}

fail=0

# --generic: the units are independent, so $SYNTH_JOBS (default 2) run at a
# time; the lines come out in table order.
if [[ "$mode" == generic ]]; then
  done_labels=()
  for u in "${units[@]}"; do
    IFS='|' read -r label top params small flags <<<"$u"
    [[ -n "$only" && "$only" != "$label" ]] && continue
    [[ "$quick" == 1 && " $flags " == *" long-only "* ]] && continue
    [[ "$quick" == 1 && -n "$small" ]] && params="$small"
    (
      if yosys -q -l "$out/$label.generic.log" -p "$(script_for "$top" "$params" generic "$flags")" >/dev/null 2>&1; then
        echo "ok   generic synth, no latches: $label ($top $params)"
      else
        echo "FAIL generic synth: $label ($top $params), see $out/$label.generic.log"
      fi >"$out/$label.generic.result"
    ) &
    done_labels+=("$label")
    while [[ $(jobs -rp | wc -l) -ge ${SYNTH_JOBS:-2} ]]; do wait -n || true; done
  done
  wait
  for label in "${done_labels[@]}"; do
    cat "$out/$label.generic.result"
    grep -q '^ok' "$out/$label.generic.result" || fail=1
  done
  exit $fail
fi

declare -A res
for u in "${units[@]}"; do
  IFS='|' read -r label top params small flags <<<"$u"
  [[ -n "$only" && "$only" != "$label" ]] && continue
  [[ "$quick" == 1 && " $flags " == *" long-only "* ]] && continue
  [[ "$quick" == 1 && -n "$small" ]] && params="$small"
  if ! yosys -q -l "$out/$label.generic.log" -p "$(script_for "$top" "$params" generic "$flags")" >/dev/null 2>&1; then
    echo "FAIL generic synth: $label ($top $params), see $out/$label.generic.log"
    fail=1
    continue
  fi
  echo "ok   generic synth, no latches: $label ($top $params)"
  [[ " $flags " == *" generic-only "* ]] && continue
  if ! yosys -q -l "$out/$label.xcup.log" -p "$(script_for "$top" "$params" xcup)" >/dev/null 2>&1; then
    echo "FAIL synth_xilinx: $label, see $out/$label.xcup.log"
    fail=1
    continue
  fi
  # LUTs: logic LUTs + LUTs used as memory/shift registers; FF: all flip-flop
  # primitives; DSP: DSP48E2; BRAM18: RAMB18E2 + 2 x RAMB36E2; URAM: URAM288;
  # CARRY: CARRY4/CARRY8 carry-chain cells (MUXF7-9 are not counted as LUTs).
  res[$label]=$(awk '
    /=== design hierarchy ===/ {lut = ff = dsp = bram = uram = carry = 0}
    $1 ~ /^LUT[1-6]$/ {lut += $2}
    $1 ~ /^SRL/ {lut += $2}
    $1 ~ /^RAM(32|64|128|256)X1[SD]$/ {lut += $2 * ($1 ~ /D$/ ? 2 : 1) * ($1 ~ /128/ ? 2 : ($1 ~ /256/ ? 4 : 1))}
    $1 ~ /^RAM(32|64)M$/ {lut += 4 * $2}
    $1 ~ /^RAM(32|64)M16$/ {lut += 8 * $2}
    $1 ~ /^FD[RSCP]E$/ {ff += $2}
    $1 ~ /^DSP48E2$/ {dsp += $2}
    $1 ~ /^RAMB18E2$/ {bram += $2}
    $1 ~ /^RAMB36E2$/ {bram += 2 * $2}
    $1 ~ /^URAM288$/ {uram += $2}
    $1 ~ /^CARRY[48]$/ {carry += $2}
    END {printf "%d %d %d %d %d %d", lut, ff, dsp, bram, uram, carry}' "$out/$top.xcup.stat")
  cp "$out/$top.xcup.stat" "$out/$label.xcup.stat"
done

if [[ "$mode" == all ]]; then
  echo
  echo "synth_xilinx -family xcup -noiopad (Yosys $(yosys -V | awk '{print $2}'))"
  printf '| %-12s | %-14s | %7s | %7s | %4s | %6s | %4s | %6s |\n' unit module LUT FF DSP BRAM18 URAM CARRY
  printf '|%s|%s|%s|%s|%s|%s|%s|%s|\n' -------------- ---------------- --------- --------- ------ -------- ------ --------
  for u in "${units[@]}"; do
    IFS='|' read -r label top _ <<<"$u"
    [[ -z "${res[$label]:-}" ]] && continue
    read -r lut ff dsp bram uram carry <<<"${res[$label]}"
    row=$(printf '| %-12s | %-14s | %7d | %7d | %4d | %6d | %4d | %6d |' "$label" "$top" "$lut" "$ff" "$dsp" "$bram" "$uram" "$carry")
    echo "$row"
    if [[ -n "$check" ]] && ! grep -qF -- "$row" "$check"; then
      echo "  ^ not in $check" >&2
      fail=1
    fi
  done
fi
exit $fail

#!/usr/bin/env bash
# Reproduces the learner's figures of docs/BENCHMARKS.md (issue 7): tuned baselines, the shipped
# policy and the oracle, the ablations (history, single rate scale, symmetric critic), the
# evaluation scenarios E1-E4 and S, the scale carry-over, the exact optimum (value iteration) and
# the simulator's speed. Runs outside CI:
# about 90-120 minutes on a 2-core machine. Figures land in OUT (default out/learner).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
out="${1:-out/learner}"
mkdir -p "$out"
steps="${STEPS:-2000000}"
seeds="${SEEDS:-10}"
seconds="${SECONDS_PER_SEED:-120}"

./surge --help > /dev/null # builds on first use
java_cp() { # runs a main class on the launcher's classpath (plus the test classes for benchmarks)
  (cd "$root" && mvn -B -q -o test-compile -Dspotless.check.skip=true > /dev/null)
  CLASSPATH="target/test-classes:target/classes:$(cat target/launcher.classpath):$(cat target/launcher-runtime.classpath)" \
    java -Xss16m -Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.surge.schema "$@"
}

echo "== tuned baselines (grid search on the training scenarios only)"
java_cp io.surge.train.tune.BaselineTuner --seeds 3 --seconds 120 --threads 2 | tee "$out/tune.txt"

echo "== the shipped policy, the oracle (privileged features) and the ablations"
train() { # name, extra options
  local name="$1"; shift
  ./surge train --scenario train --random-slowdowns --late-penalty -30 --steps "$steps" \
    --seed 7 --episode-seconds 30 "$@" --out "$out/$name"
}
# seeds 7, 8, 9 with the asymmetric critic, the best by validation on the training workloads
train learned --privileged-critic --candidates 3
train oracle --privileged # the same recipe, the privileged features in the actor too
train history-4 --privileged-critic --history 4 # the shipped policy has no history frames
train single-rate-scale --privileged-critic --single-rate-scale
train symmetric-critic # the second shipped policy's recipe: the critic sees what the actor sees
cp "$out/learned/policy.onnx" deploy/policies/ppo-bursts.onnx
cp "$out/oracle/policy.onnx" deploy/policies/oracle.onnx

echo "== the shipped policy: greedy-slo at light load and the PPO policy in bursts, distilled (DAgger)"
light='poisson:rate=137.64;poisson:rate=275.28;poisson:rate=412.91;mmpp:rates=137.64/550.55,dwell=5/2'
light="$light;mmpp:rates=206.5/481.7,dwell=2/1;mmpp:rates=275.28/688.2,dwell=10/3" # 0.075-0.375 C
./surge distil --expert "greedy-slo=$light" --expert 'deploy/policies/ppo-bursts.onnx=train' \
  --rounds 5 --episodes 2 --episode-seconds 20 --epochs 4 --random-slowdowns --out "$out/distilled"
cp "$out/distilled/policy.onnx" deploy/policies/default.onnx

echo "== evaluation scenarios, never trained or tuned on"
policies="largest,smallest,greedy-slo,threshold,proteus-like,learned,oracle"
policies="$policies,deploy/policies/ppo-bursts.onnx"
for name in history-4 single-rate-scale symmetric-critic; do
  policies="$policies,$out/$name/policy.onnx"
done
for scenario in E1 E2 E3 E4 S L; do
  ./surge evaluate --scenario "$scenario" --policies "$policies" --seeds "$seeds" \
    --seconds "$seconds" --out "$out/eval-$scenario"
done

echo "== carry-over: the same policy on a site 3x slower (scenarios scale with its capacity)"
for scenario in E2 S; do
  ./surge evaluate --scenario "$scenario" --scale 3 --policies "smallest,threshold,proteus-like,learned" \
    --seeds "$seeds" --seconds "$seconds" --out "$out/eval-$scenario-scale3"
done

echo "== exact optimum on a small instance (value iteration vs PPO with the phase visible)"
java_cp io.surge.train.exact.ValueIterationBenchmark 500000 1 | tee "$out/value-iteration.txt"

echo "== simulator speed with a heuristic policy"
java_cp io.surge.sim.engine.SimulatorBenchmark | tee "$out/simulator-speed.txt"
echo "figures in $out"

package io.surge.sim.workload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WorkloadSpecTest {

  @TempDir Path dir;

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "poisson:rate=12.5 | poisson:rate=12.5",
        "POISSON: rate = 3 | poisson:rate=3",
        "mmpp:rates=5/50,dwell=30/10 | mmpp:rates=5/50,dwell=30/10",
        "mmpp:rates=0/20/80,dwell=10/5/2.5 | mmpp:rates=0/20/80,dwell=10/5/2.5",
        "flash:base=5,peak=60,every=120,len=15 | flash:base=5,peak=60,every=120,len=15",
        "flash:len=15,every=120,peak=60,base=5 | flash:base=5,peak=60,every=120,len=15",
      })
  void parsesEveryKindToItsCanonicalForm(String spec, String canonical) {
    WorkloadSpec parsed = WorkloadSpec.parse(spec);
    assertThat(parsed.toSpec()).isEqualTo(canonical);
    assertThat(WorkloadSpec.parse(parsed.toSpec())).isEqualTo(parsed);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'' | empty spec",
        "poisson | expected KIND:PARAMETERS",
        "gamma:rate=3 | unknown workload kind 'gamma'",
        "poisson: | missing rate=",
        "poisson:rate=-1 | rate must be greater than zero",
        "poisson:rate=0 | rate must be greater than zero",
        "poisson:rate=abc | rate must be a number, got 'abc'",
        "poisson:rate=NaN | rate must be greater than zero",
        "poisson:rate=1,burst=2 | unknown parameter 'burst' (allowed: rate)",
        "poisson:rate=1,rate=2 | parameter 'rate' given twice",
        "poisson:rate | expected key=value, got 'rate'",
        "mmpp:rates=5/50 | missing dwell=D1/D2[/D3]",
        "mmpp:rates=5,dwell=1 | rates needs 2 or 3 phases, got 1",
        "mmpp:rates=1/2/3/4,dwell=1/1/1/1 | rates needs 2 or 3 phases, got 4",
        "mmpp:rates=5/50,dwell=1/2/3 | dwell needs one value per phase: 2 rates, 3 dwell times",
        "mmpp:rates=0/0,dwell=1/1 | at least one phase rate must be greater than zero",
        "mmpp:rates=5/50,dwell=1/0 | dwell must be greater than zero",
        "mmpp:rates=5//50,dwell=1/1/1 | rates must be a number, got ''",
        "flash:base=5,peak=60,every=120 | missing len=",
        "flash:base=50,peak=6,every=120,len=10 | peak (6.0) must be at least base (50.0)",
        "flash:base=5,peak=60,every=10,len=10 | len (10.0) must be shorter than every (10.0)",
        "trace: | missing the trace file",
        "trace:/no/such/file.csv | not found",
      })
  void rejectsBadSpecsWithAClearReason(String spec, String reason) {
    assertThatThrownBy(() -> WorkloadSpec.parse(spec))
        .isInstanceOf(WorkloadSpecException.class)
        .hasMessageContaining(reason)
        .hasMessageContaining("poisson:rate=R");
  }

  @Test
  void rejectsTraceFilesThatAreNotArrivalTimes() throws IOException {
    assertRejected("a,b\n1,2\n", "has no TIMESTAMP or arrival_ms column (header: a,b)");
    assertRejected("arrival_ms\n5\n", "needs at least two arrivals, has 1");
    assertRejected("arrival_ms\n5\nsoon\n", "line 3: arrival_ms 'soon' is not a number");
    assertRejected(
        "TIMESTAMP\n2023-11-16 18:15:46\n16/11/2023\n",
        "line 3: TIMESTAMP '16/11/2023' is not like 2023-11-16 18:15:46.6805900");
    assertRejected("", "is empty");
    assertThatThrownBy(() -> WorkloadSpec.parse("trace:" + write("arrival_ms\n1\n2\n") + ",rate=0"))
        .isInstanceOf(WorkloadSpecException.class)
        .hasMessageContaining("rate must be greater than zero");
  }

  private void assertRejected(String csv, String reason) throws IOException {
    Path file = write(csv);
    assertThatThrownBy(() -> WorkloadSpec.parse("trace:" + file))
        .isInstanceOf(WorkloadSpecException.class)
        .hasMessageContaining(reason);
  }

  private Path write(String csv) throws IOException {
    Path file = Files.createTempFile(dir, "trace", ".csv");
    Files.writeString(file, csv);
    return file;
  }
}

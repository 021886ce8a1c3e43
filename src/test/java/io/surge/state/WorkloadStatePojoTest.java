package io.surge.state;

import static org.assertj.core.api.Assertions.assertThatCode;

import org.apache.flink.types.PojoTestUtils;
import org.junit.jupiter.api.Test;

/** The Flink operator keeps the state in a ValueState: it must be a POJO, never Kryo. */
class WorkloadStatePojoTest {

  @Test
  void isSerialisedAsAPojoWithoutKryo() {
    assertThatCode(() -> PojoTestUtils.assertSerializedAsPojoWithoutKryo(WorkloadState.class))
        .doesNotThrowAnyException();
  }
}

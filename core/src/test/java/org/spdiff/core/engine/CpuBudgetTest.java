package org.spdiff.core.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The core count and thread arithmetic of {@link CpuBudget}, on hand-made inputs. */
class CpuBudgetTest {
  @Test
  void cgroupV2QuotaRoundsUpToWholeCores() {
    assertEquals(OptionalInt.empty(), CpuBudget.parseCpuMax("max 100000\n"));
    assertEquals(OptionalInt.of(2), CpuBudget.parseCpuMax("200000 100000"));
    assertEquals(OptionalInt.of(2), CpuBudget.parseCpuMax("150000 100000"));
    assertEquals(OptionalInt.of(1), CpuBudget.parseCpuMax("50000 100000"));
  }

  @Test
  void aCoreHeldByAnotherProcessIsNotCounted() {
    // 2 cores, 1000 ticks in the window (500 per core): another process used 500, we used 0.
    assertEquals(1, CpuBudget.idleCores(1000, 500, 0, 2, 2));
    // Our own 500 ticks do not count against us.
    assertEquals(2, CpuBudget.idleCores(1000, 500, 500, 2, 2));
    // Both cores busy with others: still one thread.
    assertEquals(1, CpuBudget.idleCores(1000, 0, 0, 2, 2));
    // A lightly loaded machine (another process at 30% of a core) keeps both.
    assertEquals(2, CpuBudget.idleCores(1000, 850, 0, 2, 2));
    // Idle cores beyond the ones we may run on do not count.
    assertEquals(4, CpuBudget.idleCores(6400, 6400, 0, 4, 64));
  }

  @Test
  void workersShareTheCores() {
    assertEquals(2, CpuBudget.threadsPerWorker(2, 1));
    assertEquals(1, CpuBudget.threadsPerWorker(2, 2));
    assertEquals(1, CpuBudget.threadsPerWorker(2, 4));
    assertEquals(3, CpuBudget.threadsPerWorker(6, 2));
    assertEquals(2, CpuBudget.threadsPerWorker(2, 0));
  }

  @Test
  void thisMachineHasAtLeastOneUsableCore() {
    int cores = CpuBudget.usableCores();
    assertTrue(cores >= 1 && cores <= Runtime.getRuntime().availableProcessors(), "" + cores);
  }
}

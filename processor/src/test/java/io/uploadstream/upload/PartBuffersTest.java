package io.uploadstream.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PartBuffersTest {

  @Test
  void acquire_afterRelease_reusesTheSameArray() {
    PartBuffers buffers = new PartBuffers(1024, 2);
    byte[] first = buffers.acquire(1024);
    buffers.release(first);

    assertThat(buffers.acquire(1024)).isSameAs(first);
    assertThat(buffers.acquire(10)).hasSize(10); // nothing idle: a small request costs its size
  }

  @Test
  void acquire_smallRequest_reusesAnIdleFullBuffer() {
    PartBuffers buffers = new PartBuffers(1024, 2);
    byte[] full = buffers.acquire(1024);
    buffers.release(full);

    assertThat(buffers.acquire(1)).isSameAs(full);
  }

  @Test
  void release_keepsAtMostMaxIdleFullSizeBuffers() {
    PartBuffers buffers = new PartBuffers(1024, 2);
    byte[] a = buffers.acquire(1024);
    byte[] b = buffers.acquire(1024);
    byte[] c = buffers.acquire(1024);

    buffers.release(a);
    buffers.release(b);
    buffers.release(c);
    buffers.release(new byte[10]);

    assertThat(buffers.idleCount()).isEqualTo(2);
  }

  @Test
  void acquire_moreThanTheBufferSize_isRefused_largerPartsAreStreamed() {
    PartBuffers buffers = new PartBuffers(1024, 2);

    assertThatThrownBy(() -> buffers.acquire(1025))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("streamed");
    assertThat(buffers.allocations()).isZero();
  }

  @Test
  void allocations_countOnlyNewArrays_andTheLargestIsRecorded() {
    PartBuffers buffers = new PartBuffers(1024, 2);
    byte[] small = buffers.acquire(10);
    byte[] full = buffers.acquire(1024);
    buffers.release(full);
    buffers.release(buffers.acquire(1024));

    assertThat(small).hasSize(10);
    assertThat(buffers.allocations()).isEqualTo(2);
    assertThat(buffers.largestAllocatedBytes()).isEqualTo(1024);
  }
}

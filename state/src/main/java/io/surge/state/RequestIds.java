package io.surge.state;

/**
 * 64-bit keys of request ids, without allocation: the in-flight table's key and the seed of a
 * policy's sampling. FNV-1a over the UTF-16 chars, then a 64-bit finaliser (SplitMix64) to spread
 * the bits; never 0 (0 marks an empty slot).
 */
public final class RequestIds {

  private static final long FNV_OFFSET = 0xcbf29ce484222325L;
  private static final long FNV_PRIME = 0x100000001b3L;

  private RequestIds() {}

  public static long key(CharSequence requestId) {
    long h = FNV_OFFSET;
    for (int i = 0; i < requestId.length(); i++) {
      h ^= requestId.charAt(i);
      h *= FNV_PRIME;
    }
    long k = mix(h);
    return k == 0 ? 1 : k;
  }

  /** SplitMix64 finaliser: a bijective mix of all 64 bits. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}

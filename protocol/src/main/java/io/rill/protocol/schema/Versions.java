package io.rill.protocol.schema;

/**
 * An inclusive range of message versions, such as "3+" or "0-8". {@link #NONE} contains no
 * version.
 */
public record Versions(short lowest, short highest) {
  public static final short MAX = Short.MAX_VALUE;
  public static final Versions ALL = new Versions((short) 0, MAX);
  public static final Versions NONE = new Versions((short) 1, (short) 0);

  public static Versions since(int lowest) {
    return new Versions((short) lowest, MAX);
  }

  public static Versions range(int lowest, int highest) {
    return new Versions((short) lowest, (short) highest);
  }

  public boolean contains(short version) {
    return version >= lowest && version <= highest;
  }

  public boolean isEmpty() {
    return lowest > highest;
  }

  public Versions intersect(Versions other) {
    short lo = (short) Math.max(lowest, other.lowest);
    short hi = (short) Math.min(highest, other.highest);
    return lo > hi ? NONE : new Versions(lo, hi);
  }

  @Override
  public String toString() {
    if (isEmpty()) {
      return "none";
    }
    return highest == MAX ? lowest + "+" : lowest + "-" + highest;
  }
}

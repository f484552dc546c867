package io.rill.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** The offset map agrees with a HashMap of keys to their latest offsets, up to its capacity. */
class OffsetMapProperties {
  @Property(tries = 50)
  void holdsEachKeysLatestOffset(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3000) int puts) {
    Random random = new Random(seed);
    System.out.println("OffsetMapProperties seed=" + seed);
    OffsetMap map = new OffsetMap(OffsetMap.bytesFor(puts));
    Map<String, Long> model = new HashMap<>();
    int keySpace = 1 + random.nextInt(puts);
    for (long offset = 0; offset < puts; offset++) {
      byte[] key = new byte[random.nextInt(40)];
      String name = Integer.toString(random.nextInt(keySpace));
      byte[] id = name.getBytes(StandardCharsets.UTF_8);
      System.arraycopy(id, 0, key, 0, Math.min(id.length, key.length));
      String k = new String(key, StandardCharsets.ISO_8859_1);
      assertThat(map.hasRoomFor(1)).isTrue();
      map.put(ByteBuffer.wrap(key), offset);
      model.put(k, offset);
    }
    assertThat(map.size()).isEqualTo(model.size());
    model.forEach((k, offset) -> assertThat(map.get(ByteBuffer.wrap(
        k.getBytes(StandardCharsets.ISO_8859_1)))).isEqualTo(offset));
    assertThat(map.get(ByteBuffer.wrap("absent-key-xyz".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo(-1);
    // A key that is a slice of a larger buffer hashes its own bytes only.
    ByteBuffer framed = ByteBuffer.allocate(64);
    byte[] some = model.keySet().iterator().next().getBytes(StandardCharsets.ISO_8859_1);
    framed.position(7);
    framed.put(some);
    framed.flip().position(7);
    assertThat(map.get(framed)).isEqualTo(model.get(new String(some,
        StandardCharsets.ISO_8859_1)));
  }

  /**
   * Staged puts and gets (the cleaner's path: keys hashed in groups of up to STAGE_MAX, then
   * probed) agree with one-at-a-time puts and with the model, equal keys within one group
   * included (the later offset wins), keys given as a range of a larger buffer.
   */
  @Property(tries = 50)
  void stagedGroupsActAsSinglePuts(@ForAll long seed,
      @ForAll @IntRange(min = 1, max = 3000) int puts) {
    Random random = new Random(seed);
    System.out.println("OffsetMapProperties seed=" + seed);
    OffsetMap staged = new OffsetMap(OffsetMap.bytesFor(puts));
    OffsetMap single = new OffsetMap(OffsetMap.bytesFor(puts));
    Map<String, Long> model = new HashMap<>();
    int keySpace = 1 + random.nextInt(Math.max(1, puts / 4));
    ByteBuffer frame = ByteBuffer.allocateDirect(64);
    long[] offsets = new long[OffsetMap.STAGE_MAX];
    long offset = 0;
    while (offset < puts) {
      int group = 1 + random.nextInt(OffsetMap.STAGE_MAX);
      for (int i = 0; i < group && offset < puts; i++, offset++) {
        byte[] key = ("k" + random.nextInt(keySpace)).getBytes(StandardCharsets.UTF_8);
        int at = random.nextInt(64 - key.length);
        frame.put(at, key);
        offsets[staged.staged()] = offset;
        staged.stage(frame, at, key.length);
        frame.put(at, new byte[key.length]); // the map must have hashed the key already
        single.put(ByteBuffer.wrap(key), offset);
        model.put(new String(key, StandardCharsets.UTF_8), offset);
      }
      staged.putStaged(offsets);
      assertThat(staged.staged()).isZero();
    }
    assertThat(staged.size()).isEqualTo(model.size()).isEqualTo(single.size());
    assertThat(staged.lastOffset()).isEqualTo(puts - 1);
    List<String> keys = new ArrayList<>(model.keySet());
    keys.add("absent");
    long[] latest = new long[OffsetMap.STAGE_MAX];
    for (int from = 0; from < keys.size(); from += OffsetMap.STAGE_MAX) {
      int to = Math.min(keys.size(), from + OffsetMap.STAGE_MAX);
      for (int i = from; i < to; i++) {
        staged.stage(ByteBuffer.wrap(keys.get(i).getBytes(StandardCharsets.UTF_8)), 0,
            keys.get(i).length());
      }
      staged.getStaged(latest);
      for (int i = from; i < to; i++) {
        long expected = model.getOrDefault(keys.get(i), -1L);
        assertThat(latest[i - from]).as(keys.get(i)).isEqualTo(expected);
        assertThat(single.get(ByteBuffer.wrap(keys.get(i).getBytes(StandardCharsets.UTF_8))))
            .isEqualTo(expected);
      }
    }
  }
}

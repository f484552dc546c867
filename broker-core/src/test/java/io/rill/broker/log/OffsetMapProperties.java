package io.rill.broker.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
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
}

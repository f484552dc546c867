package io.rill.protocol.message;

import io.rill.protocol.ApiKey;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Message;
import org.apache.kafka.common.protocol.MessageUtil;

/**
 * The official client's generated message classes, used only as a test oracle: parse bytes we
 * wrote, serialise them again, and report what the client did not understand.
 */
final class KafkaOracle {
  private KafkaOracle() {}

  static Class<?> dataClass(ApiKey api, boolean request) {
    String name = "org.apache.kafka.common.message." + api.title
        + (request ? "Request" : "Response") + "Data";
    try {
      return Class.forName(name);
    } catch (ClassNotFoundException e) {
      throw new AssertionError("kafka-clients has no " + name, e);
    }
  }

  static short lowestSupported(Class<?> data) {
    return staticShort(data, "LOWEST_SUPPORTED_VERSION");
  }

  static short highestSupported(Class<?> data) {
    return staticShort(data, "HIGHEST_SUPPORTED_VERSION");
  }

  private static short staticShort(Class<?> data, String name) {
    try {
      return data.getField(name).getShort(null);
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  /** Parses {@code bytes} with the client's class at {@code version}; all bytes must be read. */
  static Message parse(Class<?> data, ByteBuffer bytes, short version) {
    ByteBuffer copy = bytes.duplicate();
    try {
      Message m = (Message) data
          .getConstructor(org.apache.kafka.common.protocol.Readable.class, short.class)
          .newInstance(new ByteBufferAccessor(copy), version);
      if (copy.hasRemaining()) {
        throw new AssertionError(data.getSimpleName() + " v" + version + " left "
            + copy.remaining() + " of " + bytes.remaining() + " bytes unread");
      }
      return m;
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw new AssertionError(data.getSimpleName() + " v" + version + " cannot parse our bytes: "
          + e.getCause(), e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new AssertionError(e);
    }
  }

  static ByteBuffer serialize(Message m, short version) {
    ByteBuffer b = MessageUtil.toByteBufferAccessor(m, version).buffer();
    b.rewind();
    return b;
  }

  /** Paths of every nested message holding tags the client did not recognise. */
  static List<String> unknownTags(Message m) {
    List<String> found = new ArrayList<>();
    collectUnknownTags(m, m.getClass().getSimpleName(), found, 0);
    return found;
  }

  private static void collectUnknownTags(Object o, String path, List<String> found, int depth) {
    if (depth > 8) {
      return;
    }
    if (o instanceof Message m) {
      if (!m.unknownTaggedFields().isEmpty()) {
        found.add(path + " " + m.unknownTaggedFields());
      }
      for (Method method : m.getClass().getDeclaredMethods()) {
        if (method.getParameterCount() == 0 && Modifier.isPublic(method.getModifiers())
            && !Modifier.isStatic(method.getModifiers())
            && (Message.class.isAssignableFrom(method.getReturnType())
                || Iterable.class.isAssignableFrom(method.getReturnType()))
            && !method.getName().equals("unknownTaggedFields")) {
          try {
            collectUnknownTags(method.invoke(m), path + "." + method.getName(), found, depth + 1);
          } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
          }
        }
      }
    } else if (o instanceof Iterable<?> it) {
      for (Object e : it) {
        collectUnknownTags(e, path + "[]", found, depth + 1);
      }
    }
  }
}

package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/** DeleteGroups request (key 42), v0-2. v1 is v0; v2 is flexible. */
public final class DeleteGroupsRequest {
  public static final Field<List<String>> GROUPS_NAMES =
      Field.<String>arrayOf("GroupsNames", Primitive.STRING);

  public static final Schema SCHEMA = Schema.of("DeleteGroupsRequest", GROUPS_NAMES);

  private DeleteGroupsRequest() {}
}

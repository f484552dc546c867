package io.rill.protocol.message;

import io.rill.protocol.schema.Field;
import io.rill.protocol.schema.Schema;
import io.rill.protocol.schema.Type.Primitive;
import java.util.List;

/**
 * ListGroups request (key 16), v0-5. v0-2 have no body; v3 is flexible; v4 added StatesFilter
 * (KIP-518), v5 TypesFilter (KIP-848). An empty filter matches every group.
 */
public final class ListGroupsRequest {
  public static final Field<List<String>> STATES_FILTER =
      Field.<String>arrayOf("StatesFilter", Primitive.STRING).since(4);
  public static final Field<List<String>> TYPES_FILTER =
      Field.<String>arrayOf("TypesFilter", Primitive.STRING).since(5);

  public static final Schema SCHEMA = Schema.of("ListGroupsRequest", STATES_FILTER, TYPES_FILTER);

  private ListGroupsRequest() {}
}

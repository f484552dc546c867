package io.rill.protocol.message;

import io.rill.protocol.schema.Schema;

/** The request and response schemas of one API, across all of its versions. */
public record ApiSchemas(Schema request, Schema response) {}

/**
 * Codecs that need libraries beyond store-core: {@link io.shmstore.codec.JsonCodec} (JSON) and
 * {@link io.shmstore.codec.SmileCodec} (Smile, binary JSON), both on Jackson.
 */
package io.shmstore.codec;

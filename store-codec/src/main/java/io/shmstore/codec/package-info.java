/**
 * Codecs that need libraries beyond store-core: Jackson JSON ({@code JsonCodec}) and Jackson Smile
 * ({@code SmileCodec}), built on store-core's {@code Codec} SPI (issue #4).
 */
package io.shmstore.codec;

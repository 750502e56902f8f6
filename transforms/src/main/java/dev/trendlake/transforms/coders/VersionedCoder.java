package dev.trendlake.transforms.coders;

import dev.trendlake.transforms.model.Versioned;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.StructuredCoder;

/** Coder for {@link Versioned}: the token, then the value with its own coder. */
public final class VersionedCoder<T> extends StructuredCoder<Versioned<T>> {
  private final Coder<T> valueCoder;

  private VersionedCoder(Coder<T> valueCoder) {
    this.valueCoder = valueCoder;
  }

  public static <T> VersionedCoder<T> of(Coder<T> valueCoder) {
    return new VersionedCoder<>(valueCoder);
  }

  @Override
  public void encode(Versioned<T> v, OutputStream out) throws IOException {
    StringUtf8Coder.of().encode(v.token(), out);
    valueCoder.encode(v.value(), out);
  }

  @Override
  public Versioned<T> decode(InputStream in) throws IOException {
    String token = StringUtf8Coder.of().decode(in);
    return new Versioned<>(token, valueCoder.decode(in));
  }

  @Override
  public List<? extends Coder<?>> getCoderArguments() {
    return List.of(valueCoder);
  }

  @Override
  public void verifyDeterministic() throws NonDeterministicException {
    verifyDeterministic(this, "the value's coder must be deterministic", valueCoder);
  }
}

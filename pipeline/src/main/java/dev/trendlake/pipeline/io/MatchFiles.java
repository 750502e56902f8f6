package dev.trendlake.pipeline.io;

import dev.trendlake.pipeline.s3.S3StoreOptions;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.aws2.options.S3ClientBuilderFactory;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.util.InstanceBuilder;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The files matching a glob ({@code **} any depth, {@code *} within one folder), with an empty
 * match allowed, each with its whole metadata ({@link BronzeMetadataCoder}). Local and other paths
 * use Beam's match. On S3, Beam's match asks a HEAD of every matched object after listing (3,003
 * requests for 3,000 files); the listing already carries each object's size and time, so this lists
 * page by page (1,000 keys a request) and emits each page's matches at once: requests and memory
 * grow with pages, not files.
 */
public final class MatchFiles extends PTransform<PBegin, PCollection<MatchResult.Metadata>> {
  private final String pattern;

  public MatchFiles(String pattern) {
    this.pattern = pattern;
  }

  @Override
  public PCollection<MatchResult.Metadata> expand(PBegin p) {
    boolean s3 = pattern.startsWith("s3://");
    return p.apply("Pattern", Create.of(pattern))
        .apply(s3 ? "ListS3" : "Match", ParDo.of(s3 ? new ListS3Fn() : new MatchFn()))
        // set before the first encoding: Beam's coders drop the change token's parts
        .setCoder(BronzeMetadataCoder.of())
        .apply("Spread", Reshuffle.viaRandomKey());
  }

  /** Any Beam file system: its own match. */
  static final class MatchFn extends DoFn<String, MatchResult.Metadata> {
    @ProcessElement
    public void process(@Element String glob, OutputReceiver<MatchResult.Metadata> out)
        throws java.io.IOException {
      MatchResult m = FileSystems.match(List.of(glob), EmptyMatchTreatment.ALLOW).get(0);
      if (m.status() == MatchResult.Status.OK) {
        m.metadata().forEach(out::output);
      } else if (m.status() != MatchResult.Status.NOT_FOUND) {
        throw new java.io.IOException("could not list " + glob + ": " + m.status());
      }
    }
  }

  /** {@code glob} as a regular expression over whole keys. */
  public static Pattern globToRegex(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
        re.append(".*");
        i++;
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }

  static final class ListS3Fn extends DoFn<String, MatchResult.Metadata> {
    private final Counter matched = Metrics.counter(MatchFiles.class, "s3_objects_matched");
    private final Counter pages = Metrics.counter(MatchFiles.class, "s3_list_pages");
    private transient S3Client s3;

    @ProcessElement
    public void process(
        @Element String glob, PipelineOptions options, OutputReceiver<MatchResult.Metadata> out) {
      if (s3 == null) {
        S3StoreOptions o = options.as(S3StoreOptions.class);
        s3 =
            InstanceBuilder.ofType(S3ClientBuilderFactory.class)
                .fromClass(o.getS3ClientFactoryClass())
                .build()
                .createBuilder(o)
                .build();
      }
      String rest = glob.substring("s3://".length());
      String bucket = rest.substring(0, rest.indexOf('/'));
      String key = rest.substring(rest.indexOf('/') + 1);
      int wild = key.length();
      for (char w : new char[] {'*', '?', '['}) {
        int i = key.indexOf(w);
        wild = i >= 0 ? Math.min(wild, i) : wild;
      }
      String prefix = key.substring(0, wild);
      Pattern match = globToRegex(key);
      String token = null;
      do {
        ListObjectsV2Response page =
            s3.listObjectsV2(
                ListObjectsV2Request.builder()
                    .bucket(bucket)
                    .prefix(prefix)
                    .continuationToken(token)
                    .build());
        pages.inc();
        for (S3Object obj : page.contents()) {
          if (match.matcher(obj.key()).matches()) {
            matched.inc();
            out.output(
                MatchResult.Metadata.builder()
                    .setResourceId(
                        FileSystems.matchNewResource("s3://" + bucket + "/" + obj.key(), false))
                    .setSizeBytes(obj.size())
                    .setIsReadSeekEfficient(true)
                    .setLastModifiedMillis(
                        obj.lastModified() == null ? 0L : obj.lastModified().toEpochMilli())
                    // the ETag tells a rewritten object from the one a run read (incremental runs)
                    .setChecksum(obj.eTag())
                    .build());
          }
        }
        token = page.nextContinuationToken();
      } while (token != null);
    }

    @Teardown
    public void teardown() {
      if (s3 != null) {
        s3.close();
      }
    }
  }
}

package dev.trendlake.runners;

import org.apache.flink.api.java.ExecutionEnvironment;
import org.apache.flink.api.java.LocalEnvironment;
import org.apache.flink.streaming.api.environment.LocalStreamEnvironment;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * Tells whether the program was started by a Flink client ({@code flink run}, an EMR step, the
 * application mode of a Flink cluster or of Managed Service for Apache Flink). Such a client
 * installs a context environment that knows the cluster to submit to; a plain {@code java -jar} has
 * none, and Flink then falls back to a local environment.
 *
 * <p>The answer picks the FlinkRunner's default master: {@code [auto]} (use the client's cluster)
 * inside a client, {@code [local]} (an embedded MiniCluster) outside one. Creating the environments
 * only asks Flink which factory is installed; it starts nothing.
 */
public final class FlinkClientContext {
  private FlinkClientContext() {}

  public static boolean active() {
    return !(ExecutionEnvironment.getExecutionEnvironment() instanceof LocalEnvironment)
        || !(StreamExecutionEnvironment.getExecutionEnvironment()
            instanceof LocalStreamEnvironment);
  }
}

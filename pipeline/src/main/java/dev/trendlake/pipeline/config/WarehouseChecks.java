package dev.trendlake.pipeline.config;

import dev.trendlake.pipeline.io.StorePaths;
import dev.trendlake.pipeline.warehouse.Star;
import dev.trendlake.pipeline.warehouse.WarehousePlan;
import dev.trendlake.pipeline.warehouse.WarehouseTarget;
import dev.trendlake.transforms.Dataset;
import java.util.List;
import java.util.Optional;

/**
 * The warehouse options as they meet the dataset: {@link WarehousePlan#check} knows the warehouse
 * on its own, this adds what depends on which dataset is loaded (whether it has warehouse tables,
 * whether its load can use Redshift COPY), which changes as datasets gain their star schemas.
 */
final class WarehouseChecks {
  private WarehouseChecks() {}

  /**
   * The planned warehouse; {@code dataset} is null when {@code --dataset} named none, and {@code
   * output} is the absolute {@code --output}.
   */
  static WarehousePlan plan(
      GivenOptions given, Dataset dataset, String output, List<String> problems) {
    int attempts =
        given.positive(RunOption.WAREHOUSE_ATTEMPTS, "a whole number of attempts", problems);
    String warehouseGiven = given.get(RunOption.WAREHOUSE);
    Optional<Star> star = dataset == null ? Optional.empty() : Star.of(dataset);
    if (dataset != null && star.isEmpty()) {
      if (warehouseGiven == null) {
        warehouseGiven = "none";
      } else if (!warehouseGiven.trim().equals("none")) {
        problems.add(
            "--dataset="
                + dataset.name()
                + " has no warehouse tables yet: use --warehouse=none (its default)");
      }
    }
    WarehousePlan warehouse =
        WarehousePlan.check(
            warehouseGiven,
            given.get(RunOption.WAREHOUSE_USER),
            given.value(RunOption.WAREHOUSE_SCHEMA),
            given.get(RunOption.WAREHOUSE_SECRET_ARN),
            given.value(RunOption.WAREHOUSE_LOAD),
            given.get(RunOption.REDSHIFT_COPY_ROLE_ARN),
            attempts,
            output,
            StorePaths.isLocal(output),
            problems);
    if (warehouse.enabled()
        && warehouse.load() == WarehouseTarget.LoadMethod.COPY
        && star.isPresent()
        && !star.get().copiesFromS3()) {
      problems.add(
          "--warehouseLoad=copy is not built for --dataset="
              + dataset.name()
              + " yet: use --warehouseLoad=jdbc (its default)");
    }
    return warehouse;
  }
}

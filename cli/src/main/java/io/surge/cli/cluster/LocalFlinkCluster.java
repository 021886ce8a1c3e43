package io.surge.cli.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Flink session cluster of separate JVMs on 127.0.0.1, started from the jars of {@code
 * target/launcher.classpath} the way a distribution's scripts start it (no distribution needed):
 *
 * <ul>
 *   <li>JobManager: {@code StandaloneSessionClusterEntrypoint --configDir conf};
 *   <li>TaskManagers: {@code TaskManagerRunner --configDir conf} with the JVM and memory options
 *       {@code BashJavaUtils GET_TM_RESOURCE_PARAMS} prints (what {@code taskmanager.sh} does);
 *   <li>{@code flink run}: {@code CliFrontend} with {@code FLINK_CONF_DIR}.
 * </ul>
 *
 * The processes see only Flink's own jars ({@link FlinkClasspath}); user code comes from the job
 * jar. Logs go to {@code <dir>/log}; {@link #close()} kills every process.
 *
 * <pre>{@code
 * try (LocalFlinkCluster flink = LocalFlinkCluster.start(dir, Map.of())) {
 *   String jobId = flink.runDetached(workDir, jobJar, "com.example.Main", "--config", "job.yaml");
 *   flink.awaitAllTasksRunning(jobId, Duration.ofSeconds(60));
 * }
 * }</pre>
 */
public final class LocalFlinkCluster implements AutoCloseable {

  private static final String ENTRYPOINT =
      "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint";
  private static final String TASK_MANAGER =
      "org.apache.flink.runtime.taskexecutor.TaskManagerRunner";
  private static final String BASH_JAVA_UTILS = "org.apache.flink.runtime.util.bash.BashJavaUtils";
  private static final String CLI = "org.apache.flink.client.cli.CliFrontend";
  private static final String EXEC_RESULT = "BASH_JAVA_UTILS_EXEC_RESULT:";
  private static final Pattern SUBMITTED = Pattern.compile("JobID ([0-9a-f]{32})");
  // generous: on the shared 2-core machine under load `flink run` alone has taken over 90 s
  private static final Duration START_TIMEOUT = Duration.ofSeconds(240);
  private static final int TAIL_LINES = 60;

  private final Path dir;
  private final Path logDir;
  private final FlinkConfDir conf;
  private final String classpath;
  private final FlinkRest rest;
  private final List<FlinkProcess> processes = new ArrayList<>();
  private final List<FlinkProcess> taskManagers = new ArrayList<>();
  private final Thread shutdownHook = new Thread(this::killAll, "local-flink-cluster-shutdown");
  private ResourceParams taskManagerParams;
  private int taskManagersStarted;
  private int submissions;

  private LocalFlinkCluster(Path dir, Map<String, String> overrides) {
    this.dir = dir;
    this.logDir = dir.resolve("log");
    this.conf = FlinkConfDir.write(dir.resolve("conf"), dir, overrides);
    this.classpath = FlinkClasspath.distribution(SurgeHome.launcherClasspathFile());
    this.rest = new FlinkRest(URI.create("http://" + FlinkConfDir.HOST + ":" + conf.restPort()));
    createDirectory(logDir);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts a JobManager and one TaskManager under {@code dir} and waits until the TaskManager has
   * registered. {@code overrides} replace or add keys of the cluster's config.yaml.
   */
  public static LocalFlinkCluster start(Path dir, Map<String, String> overrides)
      throws InterruptedException {
    LocalFlinkCluster cluster = new LocalFlinkCluster(dir, overrides);
    try {
      cluster.startJobManager();
      cluster.startTaskManager();
      return cluster;
    } catch (RuntimeException | Error | InterruptedException e) {
      System.err.println(cluster.logTails());
      cluster.close();
      throw e;
    }
  }

  public FlinkRest rest() {
    return rest;
  }

  /** The TaskManagers started so far, killed ones included, in start order. */
  public List<FlinkProcess> taskManagers() {
    return List.copyOf(taskManagers);
  }

  /** Starts a TaskManager (resource id {@code tm-<n>}) and waits until it has registered. */
  public FlinkProcess startTaskManager() throws InterruptedException {
    if (taskManagerParams == null) {
      taskManagerParams = resourceParams("GET_TM_RESOURCE_PARAMS");
    }
    String id = "tm-" + taskManagersStarted++;
    List<String> args = new ArrayList<>(List.of("--configDir", conf.dir().toString()));
    args.addAll(taskManagerParams.dynamicConfig());
    args.addAll(List.of("-D", "taskmanager.resource-id=" + id));
    FlinkProcess tm =
        startJvm("taskmanager-" + id, taskManagerParams.jvmOptions(), TASK_MANAGER, args);
    taskManagers.add(tm);
    awaitAlive(tm, "TaskManager " + id + " registered", () -> rest.taskManagerIds().contains(id));
    return tm;
  }

  /**
   * {@code flink run -d -c mainClass jobJar args...} in {@code workDir}, as a user would type it;
   * returns the job id the CLI printed.
   */
  public String runDetached(Path workDir, Path jobJar, String mainClass, String... programArgs)
      throws InterruptedException {
    List<String> args =
        new ArrayList<>(List.of("run", "-d", "-c", mainClass, jobJar.toAbsolutePath().toString()));
    args.addAll(Arrays.asList(programArgs));
    String name = "flink-run-" + ++submissions;
    List<String> command = jvm(name, List.of(), CLI, args, "log4j-cli.properties");
    FlinkProcess cli = FlinkProcess.start(name, command, env(), workDir, logDir);
    processes.add(cli);
    int exit = cli.awaitExit(START_TIMEOUT.toSeconds());
    Matcher submitted = SUBMITTED.matcher(cli.output());
    if (exit != 0 || !submitted.find()) {
      throw new IllegalStateException(
          "flink run failed (exit " + exit + ")\n" + cli.tail(TAIL_LINES * 2));
    }
    return submitted.group(1);
  }

  /** What a {@code flink run} that failed printed, and its exit code. */
  public record FailedRun(int exit, String output) {}

  /** {@code flink run -d -c mainClass jobJar args...} that must fail, e.g. on a bad option. */
  public FailedRun runFailing(Path workDir, Path jobJar, String mainClass, String... programArgs)
      throws InterruptedException {
    List<String> args =
        new ArrayList<>(List.of("run", "-d", "-c", mainClass, jobJar.toAbsolutePath().toString()));
    args.addAll(Arrays.asList(programArgs));
    String name = "flink-run-" + ++submissions;
    List<String> command = jvm(name, List.of(), CLI, args, "log4j-cli.properties");
    FlinkProcess cli = FlinkProcess.start(name, command, env(), workDir, logDir);
    processes.add(cli);
    int exit = cli.awaitExit(START_TIMEOUT.toSeconds());
    if (exit == 0) {
      throw new IllegalStateException("flink run succeeded\n" + cli.tail(TAIL_LINES));
    }
    return new FailedRun(exit, cli.output());
  }

  /**
   * Writes {@code bin/flink}, the command a distribution's {@code bin/flink} is for this cluster
   * ({@code CliFrontend} with Flink's jars and {@code FLINK_CONF_DIR}), so that a recipe's {@code
   * flink run ...} lines run as written with {@code bin} on the {@code PATH}. Returns {@code bin}.
   */
  public Path writeFlinkCommand(Path bin) {
    String name = "flink-cli";
    List<String> java = jvm(name, List.of(), CLI, List.of(), "log4j-cli.properties");
    String script =
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "# bin/flink of the local cluster under " + dir,
            "export CLASSPATH=" + shellQuote(classpath),
            "export FLINK_CONF_DIR=" + shellQuote(conf.dir().toString()),
            "exec "
                + java.stream()
                    .map(LocalFlinkCluster::shellQuote)
                    .reduce((a, b) -> a + " " + b)
                    .get()
                + " \"$@\"",
            "");
    try {
      Files.createDirectories(bin);
      Path flink = bin.resolve("flink");
      Files.writeString(flink, script);
      if (!flink.toFile().setExecutable(true)) {
        throw new IOException("cannot make " + flink + " executable");
      }
      return bin;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + bin.resolve("flink"), e);
    }
  }

  /** Waits until the job is RUNNING with all its tasks RUNNING. */
  public void awaitAllTasksRunning(String jobId, Duration timeout) throws InterruptedException {
    Await.until(
        "all tasks of job " + jobId + " running", timeout, () -> rest.allTasksRunning(jobId));
  }

  /** Every job's state and latest exception, and the last lines of every process's logs. */
  public String logTails() {
    StringBuilder out = new StringBuilder("===== local Flink cluster (" + logDir + ") =====\n");
    out.append(rest.jobsSummary());
    for (FlinkProcess p : processes) {
      out.append(p.tail(TAIL_LINES));
    }
    return out.toString();
  }

  @Override
  public void close() throws InterruptedException {
    killAll();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down: the hook kills the processes itself
    }
  }

  private void startJobManager() throws InterruptedException {
    ResourceParams params = resourceParams("GET_JM_RESOURCE_PARAMS");
    List<String> args = new ArrayList<>(List.of("--configDir", conf.dir().toString()));
    args.addAll(params.dynamicConfig());
    FlinkProcess jm = startJvm("jobmanager", params.jvmOptions(), ENTRYPOINT, args);
    awaitAlive(jm, "the JobManager's REST API at " + rest.base(), rest::isUp);
  }

  private FlinkProcess startJvm(
      String name, List<String> jvmOptions, String mainClass, List<String> args) {
    FlinkProcess p =
        FlinkProcess.start(
            name, jvm(name, jvmOptions, mainClass, args, "log4j.properties"), env(), dir, logDir);
    processes.add(p);
    return p;
  }

  /** Waits for {@code condition}, failing at once if the process died meanwhile. */
  private void awaitAlive(FlinkProcess p, String what, java.util.function.BooleanSupplier condition)
      throws InterruptedException {
    Await.until(
        what,
        START_TIMEOUT,
        () -> {
          if (!p.isAlive()) {
            throw new IllegalStateException(p.name() + " died while waiting for " + what);
          }
          return condition.getAsBoolean();
        });
  }

  /** What Flink's scripts compute before starting a JobManager or TaskManager. */
  private ResourceParams resourceParams(String command) throws InterruptedException {
    String name = "bash-java-utils-" + command;
    List<String> jvm =
        jvm(
            name,
            List.of(),
            BASH_JAVA_UTILS,
            List.of(command, "--configDir", conf.dir().toString()),
            "log4j.properties");
    // short-lived and reported only when it fails: not among the processes whose logs are tailed
    try (FlinkProcess utils = FlinkProcess.start(name, jvm, env(), dir, logDir)) {
      int exit = utils.awaitExit(START_TIMEOUT.toSeconds());
      List<String> results =
          utils
              .output()
              .lines()
              .filter(l -> l.startsWith(EXEC_RESULT))
              .map(l -> l.substring(EXEC_RESULT.length()))
              .toList();
      if (exit != 0 || results.size() < 2) {
        throw new IllegalStateException(
            "BashJavaUtils " + command + " failed (exit " + exit + ")\n" + utils.tail(TAIL_LINES));
      }
      // the last two lines: JVM options, then dynamic configuration
      return new ResourceParams(
          split(results.get(results.size() - 2)), split(results.get(results.size() - 1)));
    }
  }

  private List<String> jvm(
      String name, List<String> jvmOptions, String mainClass, List<String> args, String log4j) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(FlinkConfDir.JVM_OPTIONS);
    command.addAll(jvmOptions);
    command.add("-Dlog.file=" + logDir.resolve(name + ".log"));
    command.add("-Dlog4j.configurationFile=" + conf.dir().resolve(log4j).toUri());
    command.add(mainClass);
    command.addAll(args);
    return command;
  }

  private Map<String, String> env() {
    return Map.of("CLASSPATH", classpath, "FLINK_CONF_DIR", conf.dir().toString());
  }

  private synchronized void killAll() {
    for (FlinkProcess p : processes) {
      try {
        p.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static String shellQuote(String word) {
    return "'" + word.replace("'", "'\\''") + "'";
  }

  private static List<String> split(String line) {
    return Arrays.stream(line.trim().split("\\s+")).filter(s -> !s.isEmpty()).toList();
  }

  private static void createDirectory(Path path) {
    try {
      Files.createDirectories(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + path, e);
    }
  }

  /** JVM options and {@code -D key=value} dynamic configuration from BashJavaUtils. */
  private record ResourceParams(List<String> jvmOptions, List<String> dynamicConfig) {}
}

package io.rill.testkit;

/**
 * The child JVM of {@link JvmProcessTest}: prints its pid, then a numbered tick every 20 ms until
 * it is stopped; "bye" from a shutdown hook (so after SIGTERM, not after SIGKILL). With one
 * argument it prints a line and exits with that code at once.
 */
public final class Chatter {
  private Chatter() {}

  public static void main(String[] args) throws InterruptedException {
    if (args.length == 1) {
      System.out.println("exiting with " + args[0]);
      System.exit(Integer.parseInt(args[0]));
    }
    Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("bye")));
    System.out.println("pid " + ProcessHandle.current().pid());
    for (long tick = 0; ; tick++) {
      System.out.println("tick " + tick);
      Thread.sleep(20); // paces the output; nothing waits on it
    }
  }
}

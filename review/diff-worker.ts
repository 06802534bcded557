/** A worker thread of access-diff: evaluates the tasks it is sent, one at a time, and sends back the changes. */
import { parentPort } from "node:worker_threads";
import { evaluateTask, type Task } from "./diff";

parentPort?.on("message", (task: Task) => {
  void evaluateTask(task).then((result) => parentPort?.postMessage(result));
});

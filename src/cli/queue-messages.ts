import { say, type Say } from "./say.js";

/** What `audit --queue`, `worker` and `runs` say, in both languages. */
export const QUEUE_MESSAGES = {
  badQueueUrl: (message: string): Say => say(`--queue 不是可用的 Redis 地址：${message}`, `--queue: ${message}`),
  needsQueue: (command: string): Say =>
    say(`${command} 需要 --queue redis://主机:端口[/库]`, `${command} needs --queue redis://host:port[/db]`),
  needsShared: say(
    "--queue 需要 --shared <文件夹>：每个工作进程都能读写的共享结果文件夹（NFS 或挂载卷）",
    "--queue needs --shared <folder>: a results folder every worker can read and write (NFS or a mounted volume)",
  ),
  queueOnly: say(
    "--shared、--shard-size、--run-id 和 --detach 只与 --queue 一起用",
    "--shared, --shard-size, --run-id and --detach go with --queue",
  ),
  badRunId: (id: string): Say =>
    say(
      `--run-id 只能含字母、数字、. _ -（最多 80 个字符），写的是 "${id}"`,
      `--run-id may hold letters, digits, . _ - (80 at most), got "${id}"`,
    ),
  sharedUnwritable: (folder: string, code: string): Say =>
    say(`共享结果文件夹 ${folder} 无法写入（${code}）`, `cannot write the shared results folder ${folder} (${code})`),
  runsUsage: say(
    "用法：listing-audit runs list|show <运行 id>|cancel <运行 id>|resume <运行 id> --queue redis://…",
    "usage: listing-audit runs list|show <run id>|cancel <run id>|resume <run id> --queue redis://…",
  ),
  noSuchRun: (id: string): Say => say(`队列里没有运行 ${id}`, `no run ${id} on the queue`),
  noCommand: (id: string, folder: string): Say =>
    say(
      `运行 ${id} 的文件夹 ${folder} 里没有它的命令：无法继续`,
      `run ${id} has no command in ${folder}: it cannot be resumed`,
    ),
  detached: (id: string): Say =>
    say(
      `运行 ${id} 已进入队列；报告请用 listing-audit runs resume ${id} --queue … 获取`,
      `run ${id} is on the queue; get its reports with listing-audit runs resume ${id} --queue …`,
    ),
  started: (id: string, shards: number): Say =>
    say(`运行 ${id}：${shards} 个分片已进入队列`, `run ${id}: ${shards} shards on the queue`),
  inputsChanged: (id: string, file: string): Say =>
    say(
      `运行 ${id} 的输入自分片 ${file} 写入后已改变：无法用现在的输入继续；请用新的 --run-id 重新运行`,
      `the inputs of run ${id} changed since its shard ${file} was written: the run cannot go on with them; run it again with a new --run-id`,
    ),
  gone: (id: string): Say =>
    say(`运行 ${id} 已被取消或它的任务已被删除`, `run ${id} was cancelled or its jobs were removed`),
  incomplete: (shards: number, listings: number): Say =>
    say(
      `运行不完整：${shards} 个分片最终失败，其中 ${listings} 个商品未审核（run/shard-failed）`,
      `the run is incomplete: ${shards} shards failed for good, ${listings} listings not audited (run/shard-failed)`,
    ),
  progress: (done: number, shards: number, listings: number, total: number, rate: number, eta: string): Say =>
    say(
      `分片 ${done}/${shards} · 已审核 ${listings}/${total} 个商品 · ${rate} 个/秒 · 预计剩余 ${eta}`,
      `shards ${done}/${shards} · ${listings}/${total} listings · ${rate}/s · ETA ${eta}`,
    ),
  workerReady: (url: string, concurrency: number): Say =>
    say(`工作进程已连接 ${url}，并发 ${concurrency}`, `worker on ${url}, concurrency ${concurrency}`),
  metricsAt: (url: string): Say => say(`指标：${url}`, `metrics: ${url}`),
  workerStopping: say("收到 SIGTERM：当前任务完成后退出", "SIGTERM: finishing the current jobs, then exiting"),
  shardDone: say("分片完成", "shard done"),
  mergeDone: say("合并完成", "merge done"),
  jobFailed: say("任务失败", "job failed"),
  cancelled: (id: string, removed: boolean): Say =>
    removed
      ? say(`运行 ${id} 已取消：未开始的分片已移出队列`, `run ${id} cancelled: shards not yet started left the queue`)
      : say(
          `运行 ${id} 已标为取消（它的任务已不在队列里）`,
          `run ${id} marked cancelled (its jobs had left the queue)`,
        ),
  runStates: {
    waiting: say("进行中", "running"),
    completed: say("已完成", "done"),
    failed: say("合并失败", "merge failed"),
    missing: say("不在队列中", "not on the queue"),
    sharding: say("分片中", "sharding"),
    cancelled: say("已取消", "cancelled"),
  },
  runLine: (id: string, state: string, done: number, shards: number, failed: number, listings: number): Say =>
    say(
      `${id}  ${state}  分片 ${done}/${shards}（失败 ${failed}）  商品 ${listings}`,
      `${id}  ${state}  shards ${done}/${shards} (${failed} failed)  listings ${listings}`,
    ),
  failedShard: (index: string, reason: string): Say =>
    say(`第 ${index} 个分片失败：${reason}`, `shard ${index} failed: ${reason}`),
  noRuns: say("队列里没有运行", "no runs on the queue"),
} as const;

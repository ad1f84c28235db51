// The seed lab (COMP6248 lab 1, Southampton): its working matrix, mask and printed figures,
// embedded so `npm start` and the CLI's demo need no files. Source: ../shared/reference/
// seed-cases.json (`A`, `mask`, `lab_reported`), copied to test/fixtures/seed-cases.json.

/** The lab's A, 4 decimals (it prints them rounded to 3). */
export const LAB_A: number[][] = [
  [0.3374, 0.6005, 0.1735],
  [3.3359, 0.0492, 1.8374],
  [2.9407, 0.5301, 2.262],
];

/** Exercise 3's mask: (row 1, col 0) and (row 2, col 1) hidden. */
export const LAB_MASK: number[][] = [
  [1, 1, 1],
  [0, 1, 1],
  [1, 0, 1],
];

/** Figures the lab prints (PyTorch float32, one unknown random start, 3 decimals). */
export const LAB_REPORTED = {
  sgd: {
    U: [[0.617, -0.153], [0.411, 1.596], [1.08, 1.18]],
    V: [[0.813, 1.829], [0.784, -0.209], [0.838, 1.02]],
    A: [[0.221, 0.515, 0.361], [3.253, -0.011, 1.972], [3.036, 0.6, 2.108]],
    loss: 0.122,
  },
  svd: {
    U: [[-0.08, -0.745, 0.663], [-0.71, 0.509, 0.486], [-0.699, -0.432, -0.57]],
    S: [5.334, 0.696, 0.349],
    V: [[-0.835, 0.255, 0.488], [-0.085, -0.936, 0.343], [-0.544, -0.245, -0.803]],
    A: [[0.225, 0.521, 0.359], [3.253, -0.009, 1.974], [3.038, 0.598, 2.102]],
    loss: 0.1219,
  },
  masked: {
    U: [[0.561, -0.416], [0.94, 1.107], [1.502, 0.991]],
    V: [[1.323, 0.961], [0.676, -0.53], [0.939, 0.861]],
    A: [[0.342, 0.599, 0.168], [2.308, 0.049, 1.836], [2.94, 0.491, 2.264]],
    loss: 1.0579,
  },
} as const;

/** Rank, epochs and learning rate of all three exercises. */
export const LAB_RANK = 2;
export const LAB_EPOCHS = 1000;
export const LAB_LR = 0.01;

/**
 * Every built-in data set, by its config name (`"dataset"`): label, description, image shape,
 * class count, split sizes and normalisation — what the UI, the schedule preview (iterations
 * per epoch) and the PyTorch export need without loading it. The loaders are in src/data/ (the
 * browser's in src/worker/, the CLI's in src/cli/), one per id.
 */
import type { ImageShape } from './models';
import { registryIds } from './registry-ids';

export interface DatasetModule<Id extends string = string> {
  id: Id;
  label: string;
  description: string;
  imageShape: ImageShape;
  classes: number;
  trainCount: number;
  testCount: number;
  /** Per-pixel normalisation x' = (x / 255 − mean) / std. */
  mean: number;
  std: number;
  /** The classes' names, by label, where the set has them. */
  classNames?: readonly string[];
  /**
   * A set the lab does not ship: the user opens their own copy (in the app, a file picker; in
   * the CLI, `"dataDir"`). The words say which file. Its mean and std above are nominal: the
   * lab normalises per channel by the opened training set's own statistics.
   */
  userFiles?: string;
  /**
   * The paper's code augments this set's training images (random crop with 4-pixel zero
   * padding, horizontal flip; src/data/augment.ts): the config's `augment` applies to it.
   */
  augments?: boolean;
  /**
   * The images are resized to the config's `imageSize` square in its `imageChannels`: the
   * imageShape above is the defaults' (32 x 32 RGB); the real one is configImageShape's.
   */
  resized?: boolean;
  /**
   * The class count is the opened files' own (`classes` above is nominal), and so is the
   * training set's size, up to maxTrainCount: a results file is read with the class count its
   * model's last layer gives and its schedules bounded by maxTrainCount.
   */
  classesFromData?: boolean;
  maxTrainCount?: number;
}

const mnist: DatasetModule<'mnist'> = {
  id: 'mnist',
  label: 'MNIST (60k / 10k)',
  description: 'handwritten digits, 28x28 grey, 10 classes (LeCun et al. 1998)',
  imageShape: [28, 28, 1],
  classes: 10,
  trainCount: 60000,
  testCount: 10000,
  mean: 0.1307,
  std: 0.3081,
};

/**
 * Zalando's Fashion-MNIST (Xiao, Rasul & Vollgraf 2017), the original IDX files: a drop-in
 * for MNIST on which pruning methods differ more. Built into the app when Debian's
 * dataset-fashion-mnist package is present at build time (scripts/prepare-data.mjs); mean and
 * std are those of the 60,000 training images' pixels / 255.
 */
const fashionMnist: DatasetModule<'fashion-mnist'> = {
  id: 'fashion-mnist',
  label: 'Fashion-MNIST (60k / 10k)',
  description: 'clothing photos, 28x28 grey, 10 classes (Xiao, Rasul & Vollgraf 2017)',
  imageShape: [28, 28, 1],
  classes: 10,
  trainCount: 60000,
  testCount: 10000,
  mean: 0.286,
  std: 0.353,
  classNames: [
    'T-shirt/top',
    'Trouser',
    'Pullover',
    'Dress',
    'Coat',
    'Sandal',
    'Shirt',
    'Sneaker',
    'Bag',
    'Ankle boot',
  ],
};

/** CIFAR-10 (Krizhevsky 2009), from the user's own copy of the binary version. */
const cifar10: DatasetModule<'cifar10'> = {
  id: 'cifar10',
  label: 'CIFAR-10 (your file, 50k / 10k)',
  description: 'small colour photos, 32x32 RGB, 10 classes (Krizhevsky 2009); opened from disk',
  imageShape: [32, 32, 3],
  classes: 10,
  trainCount: 50000,
  testCount: 10000,
  mean: 0.4734,
  std: 0.2516,
  classNames: [
    'airplane',
    'automobile',
    'bird',
    'cat',
    'deer',
    'dog',
    'frog',
    'horse',
    'ship',
    'truck',
  ],
  userFiles: 'cifar-10-binary.tar.gz (or its unpacked folder cifar-10-batches-bin)',
  augments: true,
};

/** CIFAR-100 (Krizhevsky 2009), fine labels, from the user's own copy of the binary version. */
const cifar100: DatasetModule<'cifar100'> = {
  id: 'cifar100',
  label: 'CIFAR-100 (your file, 50k / 10k)',
  description:
    'small colour photos, 32x32 RGB, 100 fine classes (Krizhevsky 2009); opened from disk',
  imageShape: [32, 32, 3],
  classes: 100,
  trainCount: 50000,
  testCount: 10000,
  mean: 0.4782,
  std: 0.2682,
  userFiles: 'cifar-100-binary.tar.gz (or its unpacked folder cifar-100-binary)',
  augments: true,
};

/**
 * The user's own set of the MNIST family (MNIST, Fashion-MNIST, KMNIST, EMNIST): four IDX files,
 * 28x28 grey. Its class count is the largest label + 1 and its normalisation the training
 * pixels' own mean and std; the numbers here are nominal (MNIST's).
 */
const idx: DatasetModule<'idx'> = {
  id: 'idx',
  label: 'Your IDX files (MNIST family)',
  description:
    'your own four IDX files (.gz or raw): MNIST, Fashion-MNIST, KMNIST, EMNIST; 28x28 grey, classes from the labels',
  imageShape: [28, 28, 1],
  classes: 10,
  trainCount: 60000,
  testCount: 10000,
  mean: 0.1307,
  std: 0.3081,
  userFiles:
    'the four IDX files together (training and test images and labels, e.g. train-images-idx3-ubyte.gz)',
  // KMNIST-49 has 49 classes, EMNIST ByClass 62 classes and 697,932 training images.
  classesFromData: true,
  maxTrainCount: 1_000_000,
};

/**
 * The user's own images in class folders (torchvision's ImageFolder layout: `<class>/<image>`,
 * or `train/<class>/` and `test/<class>/`), PNG or JPEG, from a .zip or a folder; resized to a
 * square (src/data/image-folder.ts). Classes are the folders' names; the counts here are nominal.
 */
const images: DatasetModule<'images'> = {
  id: 'images',
  label: 'Your images (class folders)',
  description:
    'your own PNG / JPEG images in one folder per class (a .zip or a folder), resized to a square of the chosen size, grey or RGB; classes from the folder names',
  imageShape: [32, 32, 3],
  classes: 10,
  trainCount: 1000,
  testCount: 250,
  mean: 0.5,
  std: 0.25,
  userFiles:
    'a .zip (or a folder) of images in class folders: <class>/<image>.png or .jpg, or train/<class>/ and test/<class>/',
  resized: true,
  classesFromData: true,
  maxTrainCount: 100_000,
};

const synthetic: DatasetModule<'synthetic'> = {
  id: 'synthetic',
  label: 'Synthetic (tiny, for trying things)',
  description: 'ten random 28x28 prototypes with 40% of pixels flipped, seeded; 1,024 / 256',
  imageShape: [28, 28, 1],
  classes: 10,
  trainCount: 1024,
  testCount: 256,
  mean: 0.25,
  std: 0.4,
};

export const DATASET_REGISTRY = {
  mnist,
  'fashion-mnist': fashionMnist,
  cifar10,
  cifar100,
  idx,
  images,
  synthetic,
} as const;

export type DatasetId = keyof typeof DATASET_REGISTRY;
export const DATASET_IDS = registryIds(DATASET_REGISTRY);

/** How a resized set's images are kept (the config's `imageChannels`). */
export const IMAGE_CHANNELS_REGISTRY = {
  rgb: { id: 'rgb', label: 'RGB (3 channels)', description: 'red, green and blue, as stored' },
  grey: {
    id: 'grey',
    label: 'Grey (1 channel)',
    description: 'one channel: 0.299 R + 0.587 G + 0.114 B (ITU-R BT.601)',
  },
} as const;
export type ImageChannelsId = keyof typeof IMAGE_CHANNELS_REGISTRY;
export const IMAGE_CHANNELS_IDS = registryIds(IMAGE_CHANNELS_REGISTRY);

/**
 * The input shape of a run's data set, height x width x channels: the registry's, or for a set
 * resized by the config (`resized`), imageSize x imageSize x (1 grey, 3 RGB).
 */
export function configImageShape(config: {
  dataset: DatasetId;
  imageSize: number;
  imageChannels: ImageChannelsId;
}): ImageShape {
  const entry: DatasetModule = DATASET_REGISTRY[config.dataset];
  if (!entry.resized) return entry.imageShape;
  return [config.imageSize, config.imageSize, config.imageChannels === 'grey' ? 1 : 3];
}

# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 从零搭一个两层神经网络
#
# 本站各页每次只推导一个运算的反向传播。这个笔记本把它们拼成一个小小的神经网络，并把它训练出来，用到的只有 `snippets` 包里的函数和最朴素的梯度下降。这里没有任何自动求导库：下面的每一个梯度都来自本站推导出的公式，而且在训练的第一步之前，整个反向传播先用中心差分检验一遍。
#
# 想自己运行这个笔记本，需要第一个代码单元格导入的 `snippets` 包：下载 [snippets.zip](../../../snippets.zip)，解压到这个笔记本所在的文件夹（解压后得到 `snippets/` 文件夹），再在那里启动 Jupyter。除了 Jupyter，只需要 numpy 和 matplotlib。

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets.activations import tanh, tanh_backward
from snippets.bias import linear_rows, linear_rows_backward
from snippets.gradcheck import check_gradient
from snippets.losses import (
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_backward,
)

# 本笔记本两种语言的版本共用一种字体，图中的中文标签才能正常显示
plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "DejaVu Sans"]

# %% [markdown]
# ## 数据：两个交错的半月
#
# 每个样本是平面上的一个点，它的类别表示它来自两个半月中的哪一个。两个半月互相勾在一起，没有哪条直线能把两类分开；没有隐藏层的模型，决策边界只能是直线，不可能把所有样本都分对。样本是 `X` 的行，`X` 的形状为 $N \times 2$，其中 $N = 200$；`y` 给出每一行的类别，取 0 或 1。

# %%
rng = np.random.default_rng(0)


def two_moons(n_per_class, noise, rng):
    """返回 X (2n, 2)：两段交错圆弧上的点；以及类别 y (2n,)。"""
    t = rng.uniform(0, np.pi, size=(2, n_per_class))  # 每段圆弧上的角度
    upper = np.column_stack([np.cos(t[0]), np.sin(t[0])])
    lower = np.column_stack([1 - np.cos(t[1]), 0.5 - np.sin(t[1])])
    X = np.vstack([upper, lower])
    X = X + noise * rng.standard_normal(X.shape)
    y = np.repeat([0, 1], n_per_class)
    return X, y


X, y = two_moons(100, noise=0.15, rng=rng)
print("X:", X.shape, "y:", y.shape, "每类样本数:", np.bincount(y))

# %% [markdown]
# ## 网络
#
# 样本按行排时，一层就是 $XW + b$（本站的 `linear_rows`），偏置行 $b$ 加到每个样本上。两层之间夹一个 tanh：
#
# $$
# Z_1 = X W_1 + b_1, \qquad H = \tanh(Z_1), \qquad Z_2 = H W_2 + b_2
# $$
#
# $W_1$ 是 $2 \times 16$（输入两个特征，隐藏层十六个单元），$W_2$ 是 $16 \times 2$：$Z_2$ 的第 $n$ 行是样本 $n$ 在每个类别上的得分。softmax 把得分变成概率，损失取平均交叉熵，也就是正确类别所得概率的 $-\log$ 的平均值：
#
# $$
# L = -\frac{1}{N} \sum_{n=1}^{N} \log \operatorname{softmax}(Z_2)_{n,\,y_n}
# $$
#
# 反向传播沿着同一条链从尾走到头。每一步拿到损失对本步输出的梯度，交出损失对本步输入的梯度，用的正是本站推导的那些函数：
#
# - `softmax_cross_entropy_backward` 给出 $dZ_2 = (\operatorname{softmax}(Z_2) - Y)/N$，其中 $Y$ 是标签的 one-hot 矩阵；
# - `linear_rows_backward` 给出 $dH = dZ_2 W_2^\top$、$dW_2 = H^\top dZ_2$，以及 $db_2$，即 $dZ_2$ 按列求和；
# - `tanh_backward` 给出 $dZ_1 = dH \odot (1 - H \odot H)$；
# - 再用一次 `linear_rows_backward`，得到 $dW_1$ 和 $db_1$。

# %%
def forward(params, X):
    """返回 Z1（tanh 之前）、隐藏层 H 和各类别得分 Z2。"""
    W1, b1, W2, b2 = params
    Z1 = linear_rows(X, W1, b1)
    H = tanh(Z1)
    Z2 = linear_rows(H, W2, b2)
    return Z1, H, Z2


def loss(params, X, y):
    """返回网络在 X（类别为 y）上的平均交叉熵。"""
    _, _, Z2 = forward(params, X)
    return softmax_cross_entropy(Z2, y)


def gradients(params, X, y):
    """返回损失的梯度 (dW1, db1, dW2, db2)。"""
    W1, b1, W2, b2 = params
    Z1, H, Z2 = forward(params, X)
    dZ2 = softmax_cross_entropy_backward(Z2, y)
    dH, dW2, db2 = linear_rows_backward(H, W2, dZ2)
    dZ1 = tanh_backward(Z1, dH)
    _, dW1, db1 = linear_rows_backward(X, W1, dZ1)  # X 是数据，用不到 dX
    return dW1, db1, dW2, db2


hidden = 16
params = [
    rng.standard_normal((2, hidden)),  # W1
    np.zeros(hidden),  # b1
    rng.standard_normal((hidden, 2)) / np.sqrt(hidden),  # W2
    np.zeros(2),  # b2
]

# %% [markdown]
# ## 训练之前，先检验每个梯度
#
# 梯度写错了，程序并不会崩溃：梯度下降只是训练得差一些，或者根本训练不动，错误就这样藏了起来。所以先用 `snippets.gradcheck.check_gradient` 把四个梯度逐一和中心差分对照：它把参数的每个元素上下各微调一次，公式对不上就报错。检验在初始参数附近的一个随机点 `probe` 上进行，那里的偏置不为零，偏置上的错误就无法躲在零后面。

# %%
probe = [p + 0.1 * rng.standard_normal(p.shape) for p in params]
grads = gradients(probe, X, y)
for k, name in enumerate(["W1", "b1", "W2", "b2"]):

    def loss_of(P):
        """把第 k 个参数换成 P、其余三个取 probe 中的值时的损失。"""
        return loss(probe[:k] + [P] + probe[k + 1 :], X, y)

    error = check_gradient(loss_of, probe[k], grads[k])
    print(f"d{name}：相对误差 {error:.1e}")

# %% [markdown]
# ## 用最朴素的梯度下降训练
#
# 每一步在整个数据集上算出四个梯度，再让每个参数逆着自己的梯度走一小步：$W \leftarrow W - \eta\, dW$，学习率 $\eta = 1$。如果网络在训练样本上的准确率不到 95%，这个单元格就会报错。

# %%
learning_rate = 1.0
steps = 1000
losses = []
for step in range(steps):
    losses.append(loss(params, X, y))
    grads = gradients(params, X, y)
    params = [p - learning_rate * g for p, g in zip(params, grads)]


def predict(params, X):
    """返回 X 每一行得分较高的那个类别。"""
    _, _, Z2 = forward(params, X)
    return Z2.argmax(axis=1)


accuracy = np.mean(predict(params, X) == y)
print(f"{steps} 步之后：损失 {loss(params, X, y):.4f}，"
      f"训练集准确率 {accuracy:.1%}")
assert accuracy >= 0.95, f"训练集准确率 {accuracy:.1%}，低于 95%"

# %% [markdown]
# 下图是每一步的损失，纵轴取对数：一开始网络摸清两个半月的大致形状，损失下降得很快；之后它慢慢把边界磨得更准，损失下降也随之放缓。

# %% alt="训练损失随梯度下降步数变化的曲线，纵轴取对数：最初几步下降很快，之后逐渐放缓。"
fig, ax = plt.subplots(figsize=(7, 3.5))
ax.plot(losses)
ax.set_yscale("log")
ax.set_xlabel("梯度下降步数")
ax.set_ylabel("损失（平均交叉熵）")
ax.set_title("训练损失")
ax.grid(True, alpha=0.3)
plt.show()

# %% [markdown]
# ## 决策边界
#
# 背景的颜色表示训练好的网络在平面上每一点给类别 1 的概率；黑线上两类的概率相等，它就是决策边界。边界能弯，全靠隐藏层：每个 tanh 单元是跨过一条直线的平滑台阶，第二层给每个类别各用一组权重，把这十六个台阶加起来，两个类别得分相等的那条线就可以弯曲。

# %% alt="平面上两个半月形的类别，分别画成圆点和方块，背景颜色表示类别 1 的概率；一条黑色曲线在两个半月之间弯曲穿过，把它们分开，这就是决策边界。"
grid_x, grid_y = np.meshgrid(
    np.linspace(-1.6, 2.6, 300), np.linspace(-1.1, 1.6, 200)
)
grid = np.column_stack([grid_x.ravel(), grid_y.ravel()])
probability = softmax(forward(params, grid)[2])[:, 1].reshape(grid_x.shape)

fig, ax = plt.subplots(figsize=(7, 4.5))
ax.contourf(grid_x, grid_y, probability, levels=20, cmap="RdBu_r", alpha=0.5)
ax.contour(grid_x, grid_y, probability, levels=[0.5], colors="black")
for label, marker in [(0, "o"), (1, "s")]:
    ax.scatter(*X[y == label].T, marker=marker, s=18, edgecolors="black",
               linewidths=0.5, label=f"类别 {label}")
ax.set_xlabel("特征 1")
ax.set_ylabel("特征 2")
ax.set_title(f"决策边界，训练集准确率 {accuracy:.1%}")
ax.legend(loc="lower left")
ax.set_aspect("equal")
plt.show()

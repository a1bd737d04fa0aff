# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 动手试一试：微调一个元素
#
# 本站每一页的推理都是同一个套路：微调输入的一个元素，看哪些输出跟着变，再用链式法则把这个变化一路传到损失。这个笔记本让你亲手做一遍，四种运算各做一次。在下一个单元格里选好要微调的元素和微调的大小，运行全部单元格，然后对每种运算比较两个数：
#
# - 损失的**实际变化**：把微调后的输入再做一次前向传播，两次的损失相减；
# - **一阶预测** $\varepsilon \, dX_{ij}$：$\varepsilon$ 是微调的大小，$dX$ 是按本站公式算出的梯度。
#
# 想自己运行这个笔记本，需要第一个代码单元格导入的 `snippets` 包：下载 [snippets.zip](../../../snippets.zip)，解压到这个笔记本所在的文件夹（解压后得到 `snippets/` 文件夹），再在那里启动 Jupyter。除了 Jupyter，只需要 numpy 和 matplotlib。

# %%
from functools import partial

import matplotlib.pyplot as plt
import numpy as np

from snippets.activations import sigmoid, sigmoid_backward
from snippets.bias import linear_columns, linear_columns_backward
from snippets.elementwise import (
    elementwise_product,
    elementwise_product_backward,
)
from snippets.matrix_product import matmul, matmul_backward

np.set_printoptions(precision=6, suppress=True)
# 本笔记本两种语言的版本共用一种字体，图中的中文标签才能正常显示
plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "DejaVu Sans"]

# %% [markdown]
# ## 选一个微调
#
# 四种运算中有三种被微调的输入是 2×3 矩阵，所以 `entry` 是一对（行，列）下标：行取 0 或 1，列取 0、1 或 2。偏置只有一列，只用到其中的行号。改一改这两个值，再把笔记本运行一遍。

# %%
entry = (0, 1)  # 要微调的元素：（行，列）
eps = 1e-3  # 微调的大小

# %% [markdown]
# ## 四种运算共用一个损失
#
# 损失只需要是一个依赖于输出 $C$ 每个元素的标量。最简单的就是加权和 $L = \sum_{i,k} G_{ik} C_{ik}$，其中 $G$ 是一个固定的随机权重矩阵。$C_{ik}$ 变一点，$L$ 就按 $G_{ik}$ 的倍率跟着变，所以 $G$ 正是 $L$ 对 $C$ 的梯度，也就是网络反向传播时交给这个运算的上游梯度 $dC$。代码里直接把它叫作 `dC`。
#
# `compare` 把输入 `X` 的一个元素微调一下，重新做一次前向传播，打印输出的每个元素变了多少，并把 $L$ 的实际变化和预测 $\varepsilon \, dX_{ij}$ 并排列出。

# %%
rng = np.random.default_rng(0)


def nudged(X, entry, eps):
    """返回 X 的副本，其中只有 X[entry] 增加了 eps。"""
    X = X.copy()
    X[entry] += eps
    return X


def loss_change(forward, X, dOut, entry, eps):
    """返回 X[entry] 增加 eps 时，L = sum(dOut * forward(X)) 的实际变化。"""
    before = np.sum(dOut * forward(X))
    after = np.sum(dOut * forward(nudged(X, entry, eps)))
    return after - before


def compare(forward, X, dX, dOut, entry, eps):
    """打印 X[entry] 增加 eps 后，输出和损失各变了多少。"""
    print("输出每个元素的变化：")
    print(forward(nudged(X, entry, eps)) - forward(X))
    actual = loss_change(forward, X, dOut, entry, eps)
    predicted = eps * dX[entry]
    print(f"L 的实际变化：           {actual:+.12f}")
    print(f"L 的预测变化 eps * dX：  {predicted:+.12f}")


# %% [markdown]
# ## 矩阵乘法
#
# $C = AB$，$A$ 的形状是 2×3，$B$ 的形状是 3×4。元素 $A_{ij}$ 只出现在 $C$ 的第 $i$ 行，在那里与 $B$ 的第 $j$ 行相乘：把它微调 $\varepsilon$，对每个 $k$，$C_{ik}$ 都变化 $\varepsilon B_{jk}$。把这些变化对 $L$ 的影响加起来，得到 $dA_{ij} = \sum_k dC_{ik} B_{jk}$，也就是 $dA = dC\,B^\top$。

# %%
A = rng.standard_normal((2, 3))
B = rng.standard_normal((3, 4))
dC = rng.standard_normal((2, 4))  # L 的权重，也就是 dL/dC
dA, dB = matmul_backward(A, B, dC)
# partial(matmul, B=B) 是固定了 B 的 matmul，只是 A 的函数
cases = {"矩阵乘法": (partial(matmul, B=B), A, dA, dC, entry)}
compare(*cases["矩阵乘法"], eps)

# %% [markdown]
# $C$ 只有一行变了，正是被微调元素所在的那一行。$L$ 的两个变化在打印出的每一位上都一致：$C$ 是 $A$ 的线性函数，一阶预测除了舍入误差之外是精确的。
#
# ## 逐元素乘积
#
# $C = A \odot B$，两者形状都是 2×3。这回 $A_{ij}$ 只和 $B_{ij}$ 相乘，也只落到 $C_{ij}$ 里，$C_{ij}$ 变化 $\varepsilon B_{ij}$。所以 $dA_{ij} = dC_{ij} B_{ij}$，即 $dA = dC \odot B$。

# %%
B = rng.standard_normal((2, 3))
dC = rng.standard_normal((2, 3))
dA, dB = elementwise_product_backward(A, B, dC)
product = partial(elementwise_product, B=B)
cases["逐元素乘积"] = (product, A, dA, dC, entry)
compare(*cases["逐元素乘积"], eps)

# %% [markdown]
# 只有一个输出元素动了。这同样是线性运算，预测同样精确。
#
# ## 激活函数
#
# $Y = \sigma(Z)$，对形状为 2×3 的 $Z$ 逐元素取 sigmoid。微调 $Z_{ij}$ 只会让 $Y_{ij}$ 变化，变化量约为 $\varepsilon\,\sigma'(Z_{ij})$，所以 $dZ = dY \odot \sigma'(Z)$。

# %%
Z = rng.standard_normal((2, 3))
dY = rng.standard_normal((2, 3))
dZ = sigmoid_backward(Z, dY)
cases["激活函数（sigmoid）"] = (sigmoid, Z, dZ, dY, entry)
compare(*cases["激活函数（sigmoid）"], eps)

# %% [markdown]
# 这一次 $L$ 的两个变化有了一点出入（用上面的微调，从第四位有效数字开始不同）。sigmoid 是弯的，而梯度描述的只是它的切线。两者之差是 $\varepsilon^2$ 量级：把 `eps` 缩小到十分之一，差距本身大约缩小到百分之一；下一节的图画的是差距与预测之比，它只缩小到十分之一。
#
# ## 偏置
#
# $C = WA + b$，和原文一样，样本是 $A$ 的列：$W$ 是 2×3，$A$ 是 3×4（四个样本），形状为 2×1 的偏置 $b$ 被加到这四列的每一列上。偏置每个输出行只有一个元素，所以这里微调的是 $b_i$，$i$ 取 `entry` 的行号。$b_i$ 的每一份副本都跟着变，于是 $C$ 的整个第 $i$ 行都变化 $\varepsilon$，并且 $db_i = \sum_k dC_{ik}$：偏置的梯度就是把 $dC$ 沿每一行加起来。

# %%
W = rng.standard_normal((2, 3))
A_samples = rng.standard_normal((3, 4))
b = rng.standard_normal((2, 1))
dC = rng.standard_normal((2, 4))
dW, dA_samples, db = linear_columns_backward(W, A_samples, dC)
bias_entry = (entry[0], 0)  # b 只有一列
layer = partial(linear_columns, W, A_samples)  # 只是 b 的函数
cases["偏置"] = (layer, b, db, dC, bias_entry)
compare(*cases["偏置"], eps)

# %% [markdown]
# ## 一阶预测有多准？
#
# 现在让微调的大小本身变化，从 $10^{-10}$ 到 $10^{-1}$。图中画的是 $L$ 的实际变化与预测之差，再除以预测，即相对差距。

# %% alt="双对数坐标图：横轴是微调大小，纵轴是损失的实际变化与一阶预测的相对差距，每种运算一条线。sigmoid 的线随微调变小而下降，小于 1e-7 左右后又向上翘起；三种线性运算的线只受舍入误差影响，随微调变小而上升，有些点落在图的底边，表示预测完全准确。"
sizes = np.logspace(-10, -1, 46)

fig, ax = plt.subplots(figsize=(7, 4.2))
for name, (forward, X, dX, dOut, at) in cases.items():
    predicted = sizes * dX[at]
    actual = np.array([loss_change(forward, X, dOut, at, h) for h in sizes])
    gaps = np.abs(actual - predicted) / np.abs(predicted)
    # 对数坐标放不下 0：预测完全准确的点画在图的底边上
    ax.loglog(sizes, np.maximum(gaps, 1e-17), marker=".", label=name)
ax.set_xlabel("微调大小 ε")
ax.set_ylabel("|实际 − 预测| / |预测|")
ax.set_title("损失的变化：实际值与一阶预测")
ax.grid(True, alpha=0.3)
ax.legend()
plt.show()

# %% [markdown]
# 从右往左读这张图，也就是从大的微调读到小的微调：
#
# - sigmoid 的曲线随 $\varepsilon$ 同步下降：差距 $\tfrac12 \sigma''(z)\,\varepsilon^2$ 除以预测 $\varepsilon\,\sigma'(z)$，结果与 $\varepsilon$ 成正比。
# - 另外三种运算是线性的（偏置是仿射的），没有弯曲可言，它们的差距纯粹来自舍入误差：两个损失各自带有约 $10^{-16}$ 的相对舍入误差，除以越来越小的预测，相对差距就随 $\varepsilon$ 变小而变大（落在图底边的点表示两者连最后一位都相同）。
# - $\varepsilon$ 小于 $10^{-7}$ 左右时，sigmoid 也被舍入误差淹没，曲线重新向上翘起。两种误差相当的地方，就是最准的微调大小。这也是 `snippets.gradcheck.check_gradient` 这类梯度检验采用中心差分的原因：中心差分的误差按 $\varepsilon^2$ 而不是 $\varepsilon$ 缩小，取 $10^{-6}$ 左右的微调，两种误差都很小。
#
# ## 一次检查所有元素
#
# 最后一个单元格对每种运算的每个输入元素都做一次上面的比较，微调大小取 $10^{-6}$，只要有一个预测不对就报错。如果你改动了 `snippets/` 里的公式，这个单元格会告诉你是哪种运算、哪个元素对不上。

# %%
for name, (forward, X, dX, dOut, _) in cases.items():
    for at in np.ndindex(X.shape):
        actual = loss_change(forward, X, dOut, at, 1e-6)
        predicted = 1e-6 * dX[at]
        assert abs(actual - predicted) <= 1e-4 * abs(predicted) + 1e-14, (
            f"{name}：元素 {at} 让 L 变化了 {actual:.3e}，"
            f"梯度预测的是 {predicted:.3e}"
        )
print("四种运算中，每个元素的微调都与梯度的预测相符。")

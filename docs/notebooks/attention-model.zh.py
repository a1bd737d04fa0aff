# ---
# jupyter:
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% [markdown]
# # 一个小注意力模型
#
# 本站“现代网络的层”一节分别推导了注意力、嵌入查表、层归一化和残差连接的反向传播，每次只讲一个运算。这个笔记本把它们组装成一个小小的 transformer 式模型：只有一个注意力块，里面有两个头；再拿一个离开注意力就做不成的任务来训练它。每一个梯度都出自本站的反向函数，调用方式和各页上一模一样；这里没有任何自动求导库，而且在训练的第一步之前，十个参数的梯度会逐一用中心差分检验一遍。
#
# 想自己运行这个笔记本，需要第一个代码单元格导入的 `snippets` 包：下载 [snippets.zip](../../../snippets.zip)，解压到这个笔记本所在的文件夹（解压后得到 `snippets/` 文件夹），再在那里启动 Jupyter。除了 Jupyter，只需要 numpy 和 matplotlib。

# %%
import matplotlib.pyplot as plt
import numpy as np

from snippets.attention import multi_head_attention, multi_head_attention_backward
from snippets.bias import linear_rows, linear_rows_backward
from snippets.gradcheck import check_gradient
from snippets.indexing import embedding, embedding_backward
from snippets.losses import softmax_cross_entropy, softmax_cross_entropy_backward
from snippets.normalization import layer_norm, layer_norm_backward
from snippets.reductions import reshape, reshape_backward, unbroadcast

# 本笔记本两种语言的版本共用一种字体，图中的中文标签才能正常显示
plt.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "DejaVu Sans"]

# %% [markdown]
# ## 任务：把序列倒过来
#
# 每个样本是一个长为 $T = 6$ 的序列，每个词元是从 $V = 8$ 个词元的词表里随机抽取的整数；目标是把这个序列倒过来：在位置 $t$（从 0 数起），模型要输出位置 $T - 1 - t$ 上的那个词元。
#
# 模型里除了注意力，每一层都是逐个位置单独处理的：嵌入、层归一化和输出层一次只看一个位置。没有注意力，位置 $t$ 只知道自己的词元，而它和位置 $5 - t$ 上的词元毫无关系（六个位置里，没有哪个位置和自己对称），最好也只能瞎猜，八个词元猜对一个。要让一个位置读到另一个位置的内容，只能靠注意力。

# %%
T, V = 6, 8  # 每个序列的位置数，词表里的词元数
rng = np.random.default_rng(0)


def reversal_batch(n, rng):
    """返回 n 个随机序列 ids (n, T)，以及作为目标的倒序序列。"""
    ids = rng.integers(0, V, size=(n, T))
    return ids, ids[:, ::-1]


ids, targets = reversal_batch(3, rng)
for seq, target in zip(ids, targets):
    print("输入", seq, "-> 目标", target)

# %% [markdown]
# ## 模型
#
# 下面按一个序列来写，每个位置有 $D = 16$ 个特征：
#
# $$
# \begin{aligned}
# X &= E_{\text{ids}} + E_\text{pos} \\
# A_h &= \operatorname{softmax}\Bigl(\frac{Q_h K_h^\top}{\sqrt{d}}\Bigr) V_h \\
# R &= X + A_1 W_{o,1} + A_2 W_{o,2} \\
# Y &= \operatorname{LayerNorm}(R) \\
# Z &= Y W + b
# \end{aligned}
# $$
#
# - $E_{\text{ids}}$ 为每个位置从嵌入表 $E$（$V \times D$）里取出第 $\text{ids}_t$ 行；$E_\text{pos}$（$T \times D$）再给每个位置加上一个学出来的向量，这样查询不但能找某个词元，还能找某个位置。
# - 两个头（$h = 1, 2$）各有宽为 $d = 8$ 的 $Q_h = X W_{q,h}$、$K_h = X W_{k,h}$、$V_h = X W_{v,h}$，头的输出 $A_h$ 再经 $W_{o,h}$ 变回 $D$ 个特征：用的就是本站的 `multi_head_attention`，两个头的权重沿第一个轴摞在一起。
# - 残差连接把块的输入 $X$ 加到注意力的输出上；层归一化带着缩放 $\gamma$ 和平移 $\beta$，把每个位置的 16 个特征标准化。
# - 输出层 $YW + b$ 给每个位置八个得分，每个词元一个；损失取所有序列所有位置上交叉熵的平均。
#
# 本站的注意力函数一次处理一个序列，形状为 $T \times D$。面对一个批量，前向传播对每个序列各调用一次；其余各层则把整个批量看成一个矩阵，每个序列的每个位置占一行，形状为 $(64 \cdot 6) \times 16$。

# %%
D, heads, d = 16, 2, 8  # 特征数，头数，每个头的宽度
ATTENTION = ["Wq", "Wk", "Wv", "Wo"]
params = {
    "E": rng.standard_normal((V, D)),  # 嵌入表
    "E_pos": rng.standard_normal((T, D)),  # 每个位置一行
    "Wq": rng.standard_normal((heads, D, d)) / np.sqrt(D),
    "Wk": rng.standard_normal((heads, D, d)) / np.sqrt(D),
    "Wv": rng.standard_normal((heads, D, d)) / np.sqrt(D),
    "Wo": rng.standard_normal((heads, d, D)) / np.sqrt(heads * d),
    "gamma": np.ones(D),
    "beta": np.zeros(D),
    "W": rng.standard_normal((D, V)) / np.sqrt(D),
    "b": np.zeros(V),
}


def forward(params, ids):
    """返回得分 Z (n*T, V)，以及反向传播要用到的中间结果。"""
    X = embedding(params["E"], ids) + params["E_pos"]  # (n, T, D)
    Ws = [params[k] for k in ATTENTION]
    outputs = [multi_head_attention(x, *Ws) for x in X]
    R = X + np.stack([out for out, _ in outputs])  # 残差连接
    P = np.stack([weights for _, weights in outputs])  # (n, heads, T, T)
    R_rows = reshape(R, (-1, D))  # 每个序列的每个位置占一行
    Y = layer_norm(R_rows, params["gamma"], params["beta"])
    Z = linear_rows(Y, params["W"], params["b"])
    return Z, {"X": X, "P": P, "R": R, "R_rows": R_rows, "Y": Y}


def loss(params, ids, targets):
    """返回所有序列所有位置上交叉熵的平均。"""
    Z, _ = forward(params, ids)
    return softmax_cross_entropy(Z, targets.ravel())


# %% [markdown]
# ## 反向传播
#
# 从损失一路往回走到嵌入表，每一步都是本站的一个函数：
#
# - [`softmax_cross_entropy_backward`](../../losses/#softmax-cross-entropy) 给出 $dZ$，[`linear_rows_backward`](../../bias/#result) 给出 $dY$、$dW$ 和 $db$；
# - [`layer_norm_backward`](../../normalization/#result) 给出 $dR$、$d\gamma$ 和 $d\beta$，[`reshape_backward`](../../reductions/#rearrange) 再把 $dR$ 变回每个序列一片 $T \times D$；
# - $X$ 用了两次，一次走跳跃路径，一次进注意力，所以[它的梯度是两处之和](../../residual/#block)：$dR$ 本身，加上 [`multi_head_attention_backward`](../../attention/#heads-result) 对每个序列返回的那一份。注意力的权重为批量里的每个序列所共用，它们的梯度要把各个序列的贡献加起来；
# - [`embedding_backward`](../../indexing/#embedding-result) 把 $dX$ 的每一行加回到 $E$ 中当初取出它的那一行（同一个词元出现两次，就收到两份），[`unbroadcast`](../../reductions/#broadcast-result) 则把 $dX$ 沿序列求和，得到 $E_\text{pos}$ 的梯度，因为 $E_\text{pos}$ 被复制到了每个序列里。

# %%
def gradients(params, ids, targets):
    """返回得分 Z，以及损失对每个参数的梯度（装在与 params 同样的字典里）。"""
    Z, cache = forward(params, ids)
    dZ = softmax_cross_entropy_backward(Z, targets.ravel())
    dY, dW, db = linear_rows_backward(cache["Y"], params["W"], dZ)
    dR_rows, dgamma, dbeta = layer_norm_backward(
        cache["R_rows"], params["gamma"], dY
    )
    dR = reshape_backward(cache["R"], dR_rows)
    grads = {"W": dW, "b": db, "gamma": dgamma, "beta": dbeta}
    grads.update({k: np.zeros_like(params[k]) for k in ATTENTION})
    dX = dR.copy()  # 跳跃路径把 dR 原样传下去
    Ws = [params[k] for k in ATTENTION]
    for i, (x, P) in enumerate(zip(cache["X"], cache["P"])):
        dx, *dweights = multi_head_attention_backward(x, *Ws, P, dR[i])
        dX[i] += dx
        for k, dweight in zip(ATTENTION, dweights):
            grads[k] += dweight
    grads["E"] = embedding_backward(params["E"], ids, dX)
    grads["E_pos"] = unbroadcast(dX, params["E_pos"].shape)
    return Z, grads


# %% [markdown]
# ## 训练之前，先检验每个梯度
#
# 梯度写错了，程序并不会崩溃：模型只是学得差一些，或者根本学不会。所以先用 `snippets.gradcheck.check_gradient` 把十个梯度逐一和中心差分对照：它把参数的每个元素上下各微调一次，公式对不上就报错；循环会在错误信息前面加上出错参数的名字。检验用两个序列，其中有重复的词元（梯度要是漏算了重复，就过不了检验）；检验点 `probe` 是初始参数附近的一个随机点，那里 $\gamma \ne 1$、偏置也不为零，错误就无法躲在 1 或 0 后面。

# %%
check_ids = np.array([[3, 1, 4, 1, 5, 1], [2, 7, 1, 2, 7, 0]])
check_targets = check_ids[:, ::-1]
probe = {k: p + 0.1 * rng.standard_normal(p.shape) for k, p in params.items()}
_, grads = gradients(probe, check_ids, check_targets)
for name in params:

    def loss_of(value):
        """把参数 `name` 换成 value、其余参数取 probe 中的值时的损失。"""
        return loss({**probe, name: value}, check_ids, check_targets)

    try:
        error = check_gradient(loss_of, probe[name], grads[name])
    except AssertionError as failure:
        raise AssertionError(f"d{name}: {failure}") from None
    print(f"d{name:5s} {str(probe[name].shape):11s} 相对误差 {error:.1e}")

# %% [markdown]
# ## 用最朴素的梯度下降训练
#
# 每一步重新抽一个由 64 个随机序列组成的批量，算出十个梯度，让每个参数逆着自己的梯度走一步：$W \leftarrow W - \eta\, dW$，学习率 $\eta = 1$。每个批量都是新抽的，所以每一步的损失衡量的都是模型在还没训练过的序列上的表现。

# %%
learning_rate = 1.0
steps = 100
losses, accuracies = [], []
for step in range(steps):
    ids, targets = reversal_batch(64, rng)
    Z, grads = gradients(params, ids, targets)
    losses.append(softmax_cross_entropy(Z, targets.ravel()))
    accuracies.append(np.mean(Z.argmax(axis=1) == targets.ravel()))
    params = {k: p - learning_rate * grads[k] for k, p in params.items()}

# %% [markdown]
# 训练完以后，让模型倒转 1000 个新序列。如果它答对的词元不到 99%，这个单元格就会报错。

# %%
test_ids, test_targets = reversal_batch(1000, rng)
Z, cache = forward(params, test_ids)
predictions = Z.argmax(axis=1).reshape(test_ids.shape)
accuracy = np.mean(predictions == test_targets)
whole = np.mean(np.all(predictions == test_targets, axis=1))
test_loss = softmax_cross_entropy(Z, test_targets.ravel())
print(f"{steps} 步之后：损失 {test_loss:.4f}，"
      f"测试集准确率 {accuracy:.1%}（按词元计），"
      f"{whole:.1%} 的序列整条倒转无误")
for seq, prediction in zip(test_ids[:3], predictions[:3]):
    print("输入", seq, "-> 输出", prediction)
assert accuracy >= 0.99, f"测试集准确率 {accuracy:.1%}，低于 99%"

# %% [markdown]
# 左图是损失，纵轴取对数；右图是每个批量里答对的词元所占的比例。瞎猜的话，八个词元只能猜对一个。

# %% alt="左图：训练损失随梯度下降步数变化的曲线，纵轴取对数；损失从略高于 2 的地方出发，在第 10 步到第 30 步之间急剧下降，之后继续缓慢下降。右图：每个批量中答对的词元所占的比例；它从代表瞎猜水平（八分之一）的虚线附近出发，三十步之内升到 1，此后一直保持在 1。"
fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.5))
left.plot(losses)
left.set_yscale("log")
left.set_xlabel("梯度下降步数")
left.set_ylabel("损失（平均交叉熵）")
left.set_title("训练损失")
right.plot(accuracies)
right.axhline(1 / V, color="gray", linestyle="--", label="瞎猜，1/8")
right.set_ylim(0, 1.05)
right.set_xlabel("梯度下降步数")
right.set_ylabel("答对的词元比例")
right.set_title("每个批量上的准确率")
right.legend(loc="lower right")
for ax in (left, right):
    ax.grid(True, alpha=0.3)
fig.tight_layout()
plt.show()

# %% [markdown]
# ## 两个头学到了什么
#
# 一个头的注意力权重 $P$ 的第 $t$ 行，是位置 $t$ 的查询分给本序列各个键的权重，也就是它从每个位置各读取多少。在 1000 个测试序列上取平均，两个头的权重都集中在反对角线上：不管词元是什么，位置 $t$ 读的都是位置 $5 - t$。查询和键借助位置向量 $E_\text{pos}$ 学会了按位置配对，值则负责把词元带过来。只要有一个头在某个位置上分给对称位置的权重不超过一半，这个单元格就会报错。

# %%
mean_weights = cache["P"].mean(axis=0)  # (heads, T, T)：各序列的平均
mirrored = mean_weights[:, np.arange(T), T - 1 - np.arange(T)]  # (heads, T)
print("各头在各位置上分给对称位置的权重：")
print(mirrored.round(2))
assert np.all(mirrored > 0.5), "有一个头没有关注对称位置"

# %% alt="两张 6×6 的热力图，每个头一张，画的是在测试序列上取平均的注意力权重：行是查询的位置 0 到 5，列是键的位置。两张图里，从右上角到左下角的反对角线上的格子颜色都很深，格中标出的权重接近 1；其余格子颜色都很浅，权重接近 0。"
fig, axes = plt.subplots(1, heads, figsize=(9, 4.2))
for h, ax in enumerate(axes):
    image = ax.imshow(mean_weights[h], cmap="Blues", vmin=0, vmax=1)
    for (t, s), w in np.ndenumerate(mean_weights[h]):
        ax.text(s, t, f"{w:.2f}", ha="center", va="center", fontsize=8,
                color="white" if w > 0.5 else "black")
    ax.set_xticks(range(T))
    ax.set_yticks(range(T))
    ax.set_xlabel("键的位置")
    ax.set_ylabel("查询的位置")
    ax.set_title(f"头 {h + 1}")
fig.colorbar(image, ax=axes, shrink=0.8, label="平均注意力权重")
plt.show()
